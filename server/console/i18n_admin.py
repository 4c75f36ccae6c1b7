"""The console's words for the devices (设备管理) and compliance statistics (合规统计) pages;
merged into server.console.i18n's tables."""
from __future__ import annotations

ADMIN_ZH: dict[str, str] = {
    "devices": "设备管理", "compliance": "合规统计",
    "devices_lead": "本辖区执法人员的平板。吊销后，该平板的下一次请求即被拒绝，需重新登记才能使用。",
    "col_device_user": "使用人", "col_label": "设备名称", "col_platform": "平台", "col_enrolled": "登记时间",
    "col_last_seen": "最近推送", "col_device_status": "状态", "col_actions": "操作",
    "device_active": "使用中", "device_revoked": "已吊销", "no_devices": "本辖区还没有登记的平板。",
    "enrol_title": "登记新设备", "enrol_user": "执法人员", "enrol_label": "设备名称（可选）",
    "enrol_label_hint": "例如：朝阳一所-平板3", "enrol_submit": "生成登记二维码", "choose_user": "请选择…",
    "no_inspectors": "本辖区没有可登记设备的执法人员账号。", "choose_inspector": "请选择执法人员。",
    "label_too_long": "设备名称不能超过 100 个字符。",
    "qr_title": "扫码登记：{user}", "qr_lead": "在平板上打开应用 → 登记设备 → 扫描下方二维码。",
    "qr_expires": "有效期 {minutes} 分钟，至 {at} 失效；只能使用一次。",
    "qr_manual": "无法扫码时，在平板上手工输入：", "qr_code": "登记码", "qr_payload": "完整内容",
    "qr_done": "完成，返回设备列表", "qr_alt": "设备登记二维码",
    "revoke": "吊销", "revoke_title": "确认吊销设备",
    "revoke_lead": "吊销后，{user} 的平板“{label}”将无法再同步，未同步的记录留在平板上，需重新登记后才能上传。",
    "revoke_confirm": "确定吊销", "cancel": "取消", "revoked_flash": "已吊销设备：{label}（{user}）。",
    "already_revoked": "该设备已于 {at} 吊销。",
    "stats_lead": "本辖区按标准汇总的检查结论（每项检测取最新修订，以服务器复核结论为准，无复核时取平板结论）。",
    "period_from": "自", "period_to": "至", "stats_apply": "查询", "bad_period": "起止日期无效，已显示最近 30 天。",
    "col_standard": "标准", "col_inspections": "检查次数", "col_findings_n": "检测项", "col_pass": "合格",
    "col_fail_n": "不合格", "col_inconclusive": "无法判定", "col_fail_rate": "不合格率", "col_disagree_rate": "分歧率",
    "col_distribution": "结论分布", "stats_total": "合计",
    "stats_empty": "所选期间没有统计数据。",
    "stats_when": "统计数据由 gbfield scheduler 每晚 02:00 计算（重新计算最近 {days} 天的检查），当天的检查次日可见。",
    "stats_computed": "最近一次计算：{at}", "stats_never": "尚未计算过（调度程序 gbfield scheduler 是否在运行？）",
    "fail_rate_hint": "不合格率 = 不合格 ÷（合格 + 不合格）；分歧率 = 平板与服务器判定不一致的检测项 ÷ 检测项。",
}

ADMIN_EN: dict[str, str] = {
    "devices": "Devices", "compliance": "Compliance",
    "devices_lead": "Tablets of the inspectors in your jurisdiction. A revoked tablet is refused at its next "
                    "request and must be enrolled again.",
    "col_device_user": "User", "col_label": "Label", "col_platform": "Platform", "col_enrolled": "Enrolled",
    "col_last_seen": "Last push", "col_device_status": "Status", "col_actions": "Actions",
    "device_active": "active", "device_revoked": "revoked", "no_devices": "No tablets enrolled in your jurisdiction.",
    "enrol_title": "Enrol a tablet", "enrol_user": "Inspector", "enrol_label": "Label (optional)",
    "enrol_label_hint": "e.g. Chaoyang office tablet 3", "enrol_submit": "Make the enrolment QR code",
    "choose_user": "Choose…", "no_inspectors": "No inspector accounts in your jurisdiction.",
    "choose_inspector": "Choose an inspector.", "label_too_long": "The label has at most 100 characters.",
    "qr_title": "Scan to enrol: {user}", "qr_lead": "On the tablet: open the app → Enrol device → scan this code.",
    "qr_expires": "Valid for {minutes} minutes, until {at}; it works once.",
    "qr_manual": "If the camera cannot scan, type on the tablet:", "qr_code": "Code", "qr_payload": "Full text",
    "qr_done": "Done, back to the devices", "qr_alt": "Enrolment QR code",
    "revoke": "Revoke", "revoke_title": "Revoke this tablet?",
    "revoke_lead": "{user}'s tablet “{label}” will no longer sync; records not yet synced stay on the tablet "
                   "until it is enrolled again.",
    "revoke_confirm": "Revoke", "cancel": "Cancel", "revoked_flash": "Revoked: {label} ({user}).",
    "already_revoked": "This tablet was revoked at {at}.",
    "stats_lead": "Verdicts in your jurisdiction per standard (newest revision of each finding; the server's "
                  "verdict, else the tablet's).",
    "period_from": "From", "period_to": "To", "stats_apply": "Show", "bad_period": "Bad dates; showing the last 30 days.",
    "col_standard": "Standard", "col_inspections": "Inspections", "col_findings_n": "Findings", "col_pass": "Pass",
    "col_fail_n": "Fail", "col_inconclusive": "Inconclusive", "col_fail_rate": "Fail rate",
    "col_disagree_rate": "Disagreement", "col_distribution": "Distribution", "stats_total": "Total",
    "stats_empty": "No statistics for this period.",
    "stats_when": "Statistics are computed nightly at 02:00 by `gbfield scheduler` (the last {days} days are "
                  "recomputed); today's inspections appear tomorrow.",
    "stats_computed": "Last computed: {at}", "stats_never": "Never computed (is `gbfield scheduler` running?)",
    "fail_rate_hint": "Fail rate = fail ÷ (pass + fail); disagreement = findings where tablet and server differ ÷ findings.",
}
