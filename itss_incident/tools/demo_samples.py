"""The samples the demo history generator (models/helpdesk_ticket_demo.py) draws from:
what a Chinese service desk's tickets, solutions and follow-up notes look like."""

import pytz

DEMO_TZ = pytz.timezone("Asia/Shanghai")

# (category xml id, ticket type, channels, impacts, titles)
DEMO_KINDS = [
    (
        "helpdesk_ticket_category_itss_contract_application",
        "incident",
        ["phone", "email", "web", "im"],
        ["4", "3", "3", "2"],
        [
            "调度系统时刻表显示为空",
            "乘客信息屏显示昨天的数据",
            "月度客流报表导出超时",
            "合同计费批处理报错中止",
            "部分用户无法登录手机App",
            "OA审批流程卡在第二步",
            "维修工单无法打印",
            "票款清分作业合计金额错误",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_server_emergency",
        "incident",
        ["monitoring", "monitoring", "phone"],
        ["3", "2", "2", "1"],
        [
            "数据库服务器 db01 CPU 超过 95%",
            "app03 的 /data 文件系统即将占满",
            "计费数据库备份作业失败",
            "应用服务器 app02 健康检查无响应",
            "中间件集群内存耗尽",
            "存储阵列报告 RAID 组降级",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_server_network",
        "incident",
        ["monitoring", "phone", "email"],
        ["3", "3", "2"],
        [
            "到12号车站的分支 VPN 隧道中断",
            "A、B机房之间丢包",
            "控制室无线 AP 离线",
            "防火墙会话表接近上限",
            "内网域名解析缓慢",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_asset_hardware",
        "incident",
        ["phone", "web", "onsite"],
        ["4", "4", "3"],
        [
            "笔记本电脑更新后无法启动",
            "调度台显示器闪烁",
            "财务室打印机卡纸",
            "3号门门禁读卡器无法读卡",
            "值班电脑键盘鼠标无响应",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_asset_software",
        "incident",
        ["phone", "im", "web"],
        ["4", "4", "3"],
        [
            "邮件客户端无法打开共享日历",
            "两台电脑的办公软件许可证过期",
            "PDF 阅读器打开大图纸时崩溃",
            "杀毒软件拦截调度客户端",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_contract_request",
        "service_request",
        ["phone", "email", "web", "im"],
        ["4", "4", "3"],
        [
            "为站长开通新用户账号",
            "重置报表门户密码",
            "开通维修报表的只读权限",
            "在三台电脑上安装图纸查看器",
            "为外包人员开通 VPN",
        ],
    ),
    (
        "helpdesk_ticket_category_itss_general",
        "service_request",
        ["phone", "email"],
        ["4"],
        [
            "咨询月度服务报告",
            "如何预约会议室大屏",
            "修改值班室联系电话",
        ],
    ),
]

DEMO_SOLUTIONS = [
    "重启服务并清理积压队列，已与用户确认。",
    "更换故障部件，设备恢复正常。",
    "修正配置并记录变更。",
    "回退最近一次更新，已与厂商约定修复计划。",
    "扩容卷并清理旧日志，告警已消除。",
    "已按要求完成，用户电话确认。",
]

DEMO_FOLLOWUP_NOTES = [
    "客户对快速响应表示满意。",
    "修复后运行正常，无其他问题。",
    "致电两次，无人接听。",
    "希望厂商介入时能更早告知。",
]
