// vant.js: the Vant components the mobile pages use, registered one by one
import {
  Button, Cell, CellGroup, Checkbox, CheckboxGroup, Empty, Field, Form, Icon, Loading, NavBar, NoticeBar, Popup, Radio,
  RadioGroup, Rate, Search, Switch, Tabbar, TabbarItem, Tag,
} from 'vant';
import 'vant/lib/index.css';

const components = [Button, Cell, CellGroup, Checkbox, CheckboxGroup, Empty, Field, Form, Icon, Loading, NavBar, NoticeBar,
  Popup, Radio, RadioGroup, Rate, Search, Switch, Tabbar, TabbarItem, Tag];

export default {
  install(app) {
    for (const c of components) app.use(c);
  },
};
