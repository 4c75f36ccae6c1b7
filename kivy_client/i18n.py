"""The tablet's strings in zh-CN (default) and en, switchable at runtime.

    tr = Translator()
    tr("sync")            # "同步"
    tr.set_language("en") # listeners (the screens) re-label themselves
"""
from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("zh_CN", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("强制性国家标准现场检查", "Mandatory standards field inspection"),
    "home": ("首页", "Home"),
    "scan": ("扫码", "Scan"),
    "inspection": ("检查", "Inspection"),
    "settings": ("设置", "Settings"),
    "sync": ("同步", "Sync"),
    "syncing": ("同步中…", "Syncing…"),
    "sync_idle": ("尚未同步", "Not synced yet"),
    "pending": ("待上传", "To upload"),
    "conflicts": ("冲突", "Conflicts"),
    "rejected": ("被退回", "Rejected"),
    "attention": ("需要处理", "Needs attention"),
    "nothing_attention": ("没有需要处理的记录", "Nothing needs attention"),
    "last_sync": ("上次同步", "Last sync"),
    "pulled": ("拉取", "pulled"),
    "pushed": ("推送", "pushed"),
    "photos": ("照片", "photos"),
    "scan_hint": ("输入或扫描商品条码 / 二维码内容", "Type or scan a barcode / QR content"),
    "look_up": ("查询", "Look up"),
    "load_photo": ("从照片识别", "Read from photo"),
    "photo_path": ("照片文件路径", "Photo file path"),
    "standards": ("适用标准", "Applicable standards"),
    "key_indicators": ("关键指标", "Key indicators"),
    "company": ("企业", "Company"),
    "credit_code": ("统一社会信用代码", "Unified social credit code"),
    "start_inspection": ("开始检查", "Start inspection"),
    "company_name": ("企业名称", "Enterprise name"),
    "address": ("检查地点", "Site address"),
    "gtin": ("商品条码", "GTIN"),
    "batch": ("批号", "Batch"),
    "product_class": ("安全类别", "Product class"),
    "save_inspection": ("保存检查信息", "Save inspection"),
    "indicators": ("检验指标", "Indicators"),
    "key": ("关键", "Key"),
    "limit": ("限值", "Limit"),
    "measured": ("测量值", "Measured value"),
    "unit": ("单位", "Unit"),
    "judge": ("判定", "Judge"),
    "correct": ("更正", "Correct"),
    "attach_photo": ("附加照片", "Attach photo"),
    "ask": ("提问", "Ask"),
    "question_hint": ("对该条款的理解有疑问？写下问题", "A question about this clause?"),
    "verdict": ("判定结果", "Verdict"),
    "pass": ("合格", "Pass"),
    "fail": ("不合格", "Fail"),
    "inconclusive": ("无法判定", "Inconclusive"),
    "no_indicator": ("请先在“扫码”页查询商品，再选择指标", "Scan a product first, then choose an indicator"),
    "saved_inspection": ("检查信息已保存", "Inspection saved"),
    "enrolment": ("设备登记", "Device enrolment"),
    "enrol_hint": ("粘贴登记二维码内容 gbfield-enrol:v1?…", "Paste the enrolment QR text gbfield-enrol:v1?…"),
    "enrol": ("登记", "Enrol"),
    "enrolled_as": ("已登记", "Enrolled"),
    "not_enrolled": ("未登记", "Not enrolled"),
    "language": ("语言 / Language", "Language / 语言"),
    "current": ("现行", "Current"),
    "upcoming": ("即将实施", "Upcoming"),
    "withdrawn": ("废止", "Withdrawn"),
    "ruleset": ("规则版本", "Rule set"),
    "not_found": ("未找到", "Not found"),
    "records": ("记录", "Records"),
    "records_title": ("本机检查记录", "Inspections on this device"),
    "no_records": ("本机还没有检查记录", "No inspection on this device yet"),
    "open_record": ("打开", "Open"),
    "open_correct": ("打开更正", "Open to correct"),
    "findings_n": ("检测项", "findings"),
    "fails_n": ("不合格", "fail"),
    "disagreement": ("服务器判定不一致", "server verdict differs"),
    "review_comment": ("审核意见", "Review"),
    "waiting_n": ("待上传", "to send"),
    "keep_mine": ("保留我的", "Keep mine"),
    "take_server": ("采用服务器", "Take the server's"),
    "retry": ("修改后重试", "Fix and retry"),
    "field": ("字段", "Field"),
    "my_version": ("我的版本", "My version"),
    "server_version": ("服务器的版本", "Server's version"),
    "new_value": ("新的值", "New value"),
    "take_photo": ("拍照/添加照片", "Take / add photo"),
    "photo_hint": ("照片路径（空：相机文件夹最新一张）", "Photo path (empty: newest in camera folder)"),
    "evidence": ("证据照片", "Evidence photos"),
    "no_photos": ("尚无照片", "No photo yet"),
    "entity_inspection": ("检查记录", "inspection"),
    "entity_finding": ("检测结果", "finding"),
    "entity_question": ("问题", "question"),
    "jurisdiction": ("辖区代码", "Jurisdiction"),
    "note": ("备注", "Note"),
    "text": ("问题内容", "Question"),
    "product_name": ("产品名称", "Product"),
    "photos_field": ("照片", "Photos"),
}


class Translator:
    """Looks strings up in the current language; calls listeners when it changes."""

    def __init__(self, language: str = "zh_CN"):
        self.language = language if language in LANGUAGES else "zh_CN"
        self._listeners: list[Callable[[], None]] = []

    def __call__(self, key: str) -> str:
        """Return the text of `key` in the current language (the key itself if unknown)."""
        pair = STRINGS.get(key)
        if pair is None:
            return key
        return pair[LANGUAGES.index(self.language)]

    def set_language(self, language: str) -> None:
        """Switch to `language` ("zh_CN" or "en"). Raises ValueError for another one."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; one of {LANGUAGES}")
        if language != self.language:
            self.language = language
            for callback in list(self._listeners):
                callback()

    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every language switch."""
        self._listeners.append(callback)
