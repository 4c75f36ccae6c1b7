"""The resolver pages' words: Chinese first (zh-CN), English with `?lang=en`."""
from __future__ import annotations

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN", "site": "强制性国家标准查询", "switch": "English", "switch_lang": "en",
        "product": "商品", "gtin": "商品条码（GTIN）", "company": "生产企业", "credit_code": "统一社会信用代码",
        "kind": "品类", "cpv": "产品变体", "lot": "批号", "serial": "序列号", "attributes": "其他信息",
        "standards": "适用的强制性国家标准", "standards_none": "该商品未登记适用标准。",
        "edition": "版本", "effective": "实施日期", "withdrawn": "废止日期", "class": "安全类别",
        "category": "适用范围", "key_indicators": "主要指标", "indicator": "指标", "limit": "限值",
        "clause": "条款", "test_method": "检验方法", "next_edition": "新版本", "will_take_effect": "将于 {date} 实施",
        "replaced_by": "已被 {edition} 代替", "details": "查看标准详情", "consumer": "消费者可以检查",
        "checked_on": "状态按 {date} 计算", "disclaimer": "本页根据商品登记信息列出产品应符合的强制性国家标准，"
        "仅供参考；产品是否合格以具有资质的检验机构出具的检验报告为准。",
        "machine": "数据接口", "json": "JSON", "linkset": "链接集（linkset）", "warnings": "提示",
        "not_in_catalog": "标准库中暂无此标准",
        "not_found_title": "未找到该商品", "not_found_lead": "商品条码 {gtin} 尚未在商品库中登记。",
        "bad_title": "二维码内容有误", "bad_lead": "这个链接不是有效的 GS1 数字链接（GS1 Digital Link）：",
        "what_to_do": "您可以这样做", "todo_check": "核对包装上的商品条码与链接中的数字是否一致，或重新扫描二维码。",
        "todo_unregistered": "商品可能尚未登记，或二维码并非由生产企业发布；可向商家索取产品合格证、检验报告。",
        "todo_12315": "怀疑产品有质量安全问题，可拨打 12315 或登录全国12315平台投诉举报。",
        "china_prefix": "条码前缀 690–699 属于中国物品编码中心分配的厂商识别代码。",
        "std_not_found_title": "未找到该标准", "std_not_found_lead": "标准库中没有 {code}。",
        "suggestions": "是否要找", "editions": "版本与状态", "clauses": "条款与指标", "replaces": "代替",
        "mandatory": "强制性国家标准", "recommended": "推荐性国家标准", "all_indicators": "全部指标",
        "clause_not_found": "该版本没有第 {clause} 条的记录。", "openstd": "在国家标准全文公开系统查看",
        "server_error_title": "暂时无法显示", "server_error_lead": "服务器出现问题，请稍后再试。",
        "back": "返回商品页", "call": "拨打 12315", "pinned": "指定版本",
    },
    "en": {
        "html_lang": "en", "site": "Mandatory standards lookup", "switch": "中文", "switch_lang": "zh",
        "product": "Product", "gtin": "GTIN", "company": "Manufacturer", "credit_code": "Unified social credit code",
        "kind": "Type", "cpv": "Variant", "lot": "Batch / lot", "serial": "Serial number", "attributes": "Other data",
        "standards": "Mandatory national standards that apply", "standards_none": "No standards are registered for this product.",
        "edition": "Edition", "effective": "In force from", "withdrawn": "Withdrawn on", "class": "Safety class",
        "category": "Scope", "key_indicators": "Key requirements", "indicator": "Requirement", "limit": "Limit",
        "clause": "Clause", "test_method": "Test method", "next_edition": "New edition", "will_take_effect": "takes effect on {date}",
        "replaced_by": "replaced by {edition}", "details": "Standard details", "consumer": "What you can check",
        "checked_on": "Status as of {date}", "disclaimer": "This page lists the mandatory national standards the "
        "registered product must meet. It is guidance only: whether a product conforms is decided by an accredited "
        "laboratory's test report.",
        "machine": "Data", "json": "JSON", "linkset": "Linkset", "warnings": "Notes",
        "not_in_catalog": "standard not in the catalog",
        "not_found_title": "Product not found", "not_found_lead": "GTIN {gtin} is not in the product registry.",
        "bad_title": "The code cannot be read", "bad_lead": "This link is not a valid GS1 Digital Link:",
        "what_to_do": "What you can do", "todo_check": "Compare the barcode on the pack with the number in the link, or scan the QR code again.",
        "todo_unregistered": "The product may not be registered yet, or the QR code was not issued by the manufacturer; ask the seller for the certificate of conformity or a test report.",
        "todo_12315": "Report a suspected unsafe product to the 12315 hotline or the national 12315 platform.",
        "china_prefix": "GS1 prefixes 690–699 are assigned by GS1 China (Article Numbering Center of China).",
        "std_not_found_title": "Standard not found", "std_not_found_lead": "{code} is not in the catalog.",
        "suggestions": "Did you mean", "editions": "Editions and status", "clauses": "Clauses and requirements",
        "replaces": "replaces", "mandatory": "Mandatory national standard", "recommended": "Recommended national standard",
        "all_indicators": "All requirements", "clause_not_found": "No record of clause {clause} in this edition.",
        "openstd": "Read on the national standards full-text system", "server_error_title": "Cannot show this page",
        "server_error_lead": "The server had a problem; please try again later.", "back": "Back to the product",
        "call": "Call 12315", "pinned": "edition fixed",
    },
}

STATUS_EN = {"现行": "Current", "即将实施": "Upcoming", "废止": "Withdrawn"}


def pick_lang(value: str | None) -> str:
    """Return "en" for ?lang=en (also en-US …), else "zh"."""
    return "en" if (value or "").lower().startswith("en") else "zh"


def status_label(status: str | None, lang: str) -> str:
    """Return the status badge text: 现行 / 即将实施 / 废止, or Current / Upcoming / Withdrawn."""
    if status is None:
        return ""
    return STATUS_EN.get(status, status) if lang == "en" else status
