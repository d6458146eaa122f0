// element.js: the Element Plus components the console uses, registered one by one (no full import)
import {
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElConfigProvider,
  ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElLoading,
  ElMenu, ElMenuItem, ElOption, ElPagination, ElResult, ElSelect, ElSkeleton, ElTable,
  ElTableColumn, ElTag, ElTooltip, ElTree,
} from 'element-plus';
import 'element-plus/dist/index.css';

const components = [
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElConfigProvider,
  ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElMenu,
  ElMenuItem, ElOption, ElPagination, ElResult, ElSelect, ElSkeleton, ElTable, ElTableColumn,
  ElTag, ElTooltip, ElTree,
];

export default {
  install(app) {
    for (const c of components) app.use(c);
    app.use(ElLoading); // v-loading
  },
};
