// echarts.js: the parts of ECharts the dashboards use; imported only with import() so it stays out of the first page
import * as echarts from 'echarts/core';
import { PieChart, BarChart, LineChart } from 'echarts/charts';
import { TooltipComponent, LegendComponent, GridComponent, TitleComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([PieChart, BarChart, LineChart, TooltipComponent, LegendComponent, GridComponent,
  TitleComponent, AriaComponent, CanvasRenderer]);

export default echarts;
