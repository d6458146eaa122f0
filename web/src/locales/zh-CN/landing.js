// landing.js: zh-CN strings of the public landing page (/)
export default {
  landing: {
    title: '在职党员回社区报到服务平台',
    lead: '在职党员到居住地社区报到，认领岗位、参加活动、圆梦微心愿、帮扶困难群众；社区确认每一次服务，服务时长和积分定期公示，并反馈到党员所在单位。',
    entries: '选择入口',
    consoleTitle: '管理后台',
    consoleWho: '社区工作人员 · 单位党组织管理员 · 组织部',
    consoleDesc: '在电脑上管理区划网格、共建单位和报到党员，审核服务、查看统计。',
    consoleGo: '进入管理后台',
    mobileTitle: '手机端',
    mobileWho: '在职党员 · 社区居民',
    mobileDesc: '在手机或微信中报到、报名活动、认领微心愿、查看积分。',
    mobileGo: '进入手机端',
    featuresTitle: '平台能做什么',
    features: {
      report: { name: '报到', desc: '向居住地社区报到，社区审核，一人一档。' },
      serve: { name: '服务', desc: '认领岗位、参加活动、加入服务队，签到签退。' },
      wish: { name: '微心愿', desc: '居民提出心愿，党员认领圆梦，居民确认评价。' },
      points: { name: '积分', desc: '服务经社区确认后计入时长和积分，定期公示、反馈单位。' },
    },
    footer: '在职党员回社区报到服务平台 · baodao',
  },
};
