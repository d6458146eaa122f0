// element.js: the Element Plus components the console uses, registered one by one (no full import;
// ElRadio also installs ElRadioGroup and ElRadioButton, whose own install does nothing)
import {
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCheckbox, ElConfigProvider,
  ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElLoading,
  ElMenu, ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect,
  ElSkeleton, ElStep, ElSteps, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline, ElTimelineItem,
  ElTooltip, ElTree,
} from 'element-plus';
import 'element-plus/dist/index.css';

const components = [
  ElAlert, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCheckbox, ElConfigProvider,
  ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElMenu,
  ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect, ElSkeleton,
  ElStep, ElSteps, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline, ElTimelineItem, ElTooltip,
  ElTree,
];

export default {
  install(app) {
    for (const c of components) app.use(c);
    app.use(ElLoading); // v-loading
  },
};
