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
    # inspection: entry, findings, evidence
    "site": ("现场位置（无定位时填写）", "Site (type it when there is no position)"),
    "site_hint": ("如：仓库二楼、3号货架", "e.g. warehouse 2nd floor, shelf 3"),
    "position": ("定位", "Position"),
    "locked": ("已完成（锁定）", "completed (locked)"),
    "findings": ("检测结果", "Findings"),
    "no_findings": ("尚无检测结果：选择指标并判定", "No finding yet: choose an indicator and judge"),
    "sample": ("样品", "sample "),
    "claimed_grade": ("标称能效等级", "Claimed grade"),
    "as_correction": ("作为更正", "As a correction"),
    "as_sample": ("记录为样品", "Record as sample "),
    "supersedes": ("取代", "supersedes"),
    "note_hint": ("说明（不合格时必填）", "Note (required when it fails)"),
    "save_note": ("保存说明", "Save note"),
    "photo_needed": ("需要照片", "photo needed"),
    "note_needed": ("需要说明", "note needed"),
    "unverified": ("（待核实）", "(unverified)"),
    "clause_questions": ("本条款的提问", "Questions on this clause"),
    "delete_draft": ("删除草稿", "Delete draft"),
    "history": ("回头看", "History at this site"),
    # 完成检查
    "complete_inspection": ("完成检查", "Complete inspection"),
    "completeness": ("完整性检查", "Completeness"),
    "ready_to_complete": ("内容完整，请当事人阅读现场笔录后签名", "Complete: let the party read the record, then sign"),
    "completed_locked": ("检查已完成并锁定，现场笔录已保存", "Completed and locked; the on-site record is saved"),
    "summary": ("检查摘要", "Summary"),
    "missing": ("缺少", "missing"),
    "record_hash": ("记录摘要", "Record hash"),
    "legal_label": ("用语提示", "Wording"),
    "party": ("当事人", "Party"),
    "legal_representative": ("法定代表人（负责人）", "Legal representative"),
    "on_site_person": ("现场负责人 / 职务", "Person on site / role"),
    "role_hint": ("职务", "role"),
    "phone": ("联系电话", "Phone"),
    "situation": ("现场情况", "What was found on site"),
    "situation_hint": ("只写看到的事实，不写“违法”“涉嫌”等定性用语", "Facts only: no legal conclusions"),
    "party_opinion": ("当事人意见", "The party's opinion"),
    "opinion_hint": ("如：对检查情况无异议", "e.g. no objection"),
    "order": ("责令改正（可选）", "Order to correct (optional)"),
    "order_hint": ("改正内容", "what to correct"),
    "bad_deadline": ("改正期限应为 YYYY-MM-DD", "The deadline must be YYYY-MM-DD"),
    "sampling": ("本次抽样（需两名执法人员签名）", "Samples taken (two officers sign)"),
    "second_officer": ("第二名执法人员", "Second officer"),
    "name": ("姓名", "Name"),
    "certificate_no": ("执法证号", "Certificate no."),
    "update_record": ("更新现场笔录", "Update the record"),
    "onsite_record": ("现场笔录", "On-site record"),
    "read_full": ("放大阅读（给当事人看）", "Read full size (for the party)"),
    "close": ("关闭", "Close"),
    "clear": ("清除", "Clear"),
    "confirm_signature": ("确认签名", "Confirm"),
    "refusal": ("当事人拒绝签名", "The party refuses to sign"),
    "witness_name": ("见证人姓名", "Witness's name"),
    "party_refuses": ("记录拒签", "Record the refusal"),
    "refused_recorded": ("已记录拒签：请见证人签名，或拍照记录", "Refusal recorded: a witness signs, or take a photo"),
    "witness": ("见证人", "Witness"),
    # questions, history, settings, home
    "questions": ("提问", "Questions"),
    "my_questions": ("我的提问", "My questions"),
    "all_questions": ("全部提问", "All questions"),
    "no_questions": ("还没有提问", "No question yet"),
    "no_clause": ("未关联条款", "no clause"),
    "answer": ("答复", "Answer"),
    "interpretation": ("解释", "Interpretation"),
    "mark_read": ("已读", "Mark read"),
    "back_to_inspection": ("返回检查", "Back to the inspection"),
    "history_summary": ("以往检查 {n} 次，不合格 {fails} 项", "{n} earlier inspections, {fails} failed findings"),
    "no_history": ("本机没有该企业的以往检查记录", "No earlier inspection of this enterprise on this tablet"),
    "mine": ("本人", "me"),
    "officer_profile": ("执法人员信息（打印在现场笔录上）", "Officer (printed on the on-site record)"),
    "authority": ("执法机关名称", "Authority"),
    "save": ("保存", "Save"),
    "profile_saved": ("已保存", "Saved"),
    "profile_incomplete": ("请填写姓名、执法证号和执法机关", "Enter the name, certificate number and authority"),
    "returned_tile": ("退回修改", "Returned"),
    "answered_tile": ("新答复", "New answers"),
    "decide_tile": ("待处理", "To decide"),
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
