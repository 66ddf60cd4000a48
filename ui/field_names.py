"""Names people read for fields and types (the engine's ids are English and stable)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from app.decide.spelling import meaning


def _t(text: str) -> str:
    return QCoreApplication.translate("FieldNames", text)


def field_name(field: str) -> str:
    """A field's display name in the current language; unknown fields keep their id."""
    if field == "line" or field.startswith("line "):  # a line finding: "line CODE"
        return (_t("Line") + field[4:]).strip()
    base, _, suffix = field.partition("_id")
    names = {
        "customer": _t("Customer"),
        "supplier": _t("Supplier"),
        "contact": _t("Contact"),
        "salesperson": _t("Salesperson"),
        "applicant": _t("Applicant"),
        "approver": _t("Approver"),
        "person_name": _t("Name"),
        "given_name": _t("Given name"),
        "surname": _t("Surname"),
        "mobile": _t("Mobile"),
        "landline": _t("Landline"),
        "phone": _t("Phone"),
        "email": _t("E-mail"),
        "uscc": _t("Credit code"),
        "customer_id": _t("Customer code"),
        "order_no": _t("Order no."),
        "invoice_no": _t("Invoice no."),
        "approval_no": _t("Approval no."),
        "source_ref": _t("Source no."),
        "record_id": _t("Record no."),
        "amount": _t("Amount"),
        "net_amount": _t("Net amount"),
        "tax": _t("Tax"),
        "unit_price": _t("Unit price"),
        "quantity": _t("Quantity"),
        "date": _t("Date"),
        "delivery_date": _t("Delivery date"),
        "birth_date": _t("Date of birth"),
        "time": _t("Time"),
        "status": _t("Status"),
        "address": _t("Address"),
        "city": _t("City"),
        "province": _t("Province"),
        "postcode": _t("Postcode"),
        "street_number": _t("Street number"),
        "national_id": _t("ID number"),
        "product_code": _t("Product code"),
        "product_name": _t("Product"),
        "title": _t("Title"),
        "remark": _t("Remark"),
        "department": _t("Department"),
        "category": _t("Category"),
        "industry": _t("Industry"),
    }
    if field in names:
        return names[field]
    numbered = re.fullmatch(r"(.+)_(\d+)", field)  # a second field of one kind: customer_2
    if numbered and numbered.group(1) in names:
        return f"{names[numbered.group(1)]} ({numbered.group(2)})"
    if suffix == "" and field.endswith("_id") and base:
        return _t("%1 no.").replace("%1", base.upper())
    return field


def reason_text(reason: str) -> str:
    """A fix's reason as stored ("amount: take erp's value", "status: set to '已审核'")
    in the current language."""
    found = re.fullmatch(r"(?P<field>[^:]+): (?P<what>.*)", reason)
    if found is None:
        return reason
    field, what = field_name(found["field"]), found["what"]
    taken = re.fullmatch(r"take (?P<label>.+)'s value", what)
    if taken:
        return _t("%1: take %2's value").replace("%1", field).replace("%2", taken["label"])
    typed = re.fullmatch(r"set to (?P<value>.*)", what)
    if typed:
        return _t("%1: set to %2").replace("%1", field).replace("%2", typed["value"])
    return f"{field}: {what}"


def action_name(action: str) -> str:
    """An audit entry's action in the current language (unknown ones as recorded)."""
    names = {
        "run": _t("run"),
        "propose fix": _t("propose fix"),
        "fix approved": _t("fix approved"),
        "fix rejected": _t("fix rejected"),
        "write-back started": _t("write-back started"),
        "write-back done": _t("write-back done"),
        "write-back failed": _t("write-back failed"),
        "write-back recovered as done": _t("write-back recovered as done"),
        "write-back recovered as failed": _t("write-back recovered as failed"),
        "rollback": _t("rollback"),
        "withdraw decision": _t("withdraw decision"),
        "setting": _t("setting"),
        "user": _t("user"),
        "rule": _t("rule"),
        "propose merge": _t("propose merge"),
        "merge approved": _t("merge approved"),
        "merge rejected": _t("merge rejected"),
        "merge written": _t("merge written"),
        "merge withdrawn": _t("merge withdrawn"),
        "unmerge": _t("unmerge"),
    }
    if action in names:
        return names[action]
    decided = re.fullmatch(r"decide (?P<kinds>.+)", action)
    if decided:
        kinds = {
            "accept": _t("accept"),
            "reject": _t("reject"),
            "take": _t("take"),
            "edit": _t("edit"),
        }
        text = "/".join(kinds.get(k, k) for k in decided["kinds"].split("/"))
        return _t("decide %1").replace("%1", text)
    return action


def type_name(type_: str) -> str:
    names = {
        "company": _t("company"),
        "person": _t("person"),
        "phone": _t("phone"),
        "email": _t("e-mail"),
        "uscc": _t("credit code"),
        "key": _t("key"),
        "reference": _t("reference"),
        "money": _t("money"),
        "quantity": _t("quantity"),
        "date": _t("date"),
        "datetime": _t("date and time"),
        "status": _t("status"),
        "address": _t("address"),
        "product_code": _t("product code"),
        "text": _t("text"),
    }
    return names.get(type_, type_)


def band_name(band: str) -> str:
    names = {
        "auto": _t("auto"),
        "review": _t("review"),
        "orphan": _t("orphan"),
        "none": _t("single"),
    }
    return names.get(band, band)


def state_name(state: str) -> str:
    names = {
        "open": _t("open"),
        "accepted": _t("accepted"),
        "rejected": _t("rejected"),
        "resolved": _t("resolved"),
        "recheck": _t("to re-check"),
        # fixes, merges and write-backs
        "proposed": _t("proposed"),
        "approved": _t("approved"),
        "withdrawn": _t("withdrawn"),
        "written": _t("written"),
        "rolled_back": _t("rolled back"),
        "rolling_back": _t("rolling back"),
        "started": _t("in progress"),
        "done": _t("done"),
        "failed": _t("failed"),
        "unmerged": _t("unmerged"),
        # a document's state (a status fix)
        "pending": _t("pending"),
        "cancelled": _t("cancelled"),
        "closed": _t("closed"),
        "draft": _t("draft"),
    }
    return names.get(state, state)


def meaning_text(value: object) -> str:
    """What a fix's new value means when it is written in the target's own spelling
    (审核 → approved, CNY 71,431.71 → 71431.71); empty when it says it plainly."""
    found = meaning(str(value))
    if found is None:
        return ""
    kind, plain = found
    return state_name(plain) if kind == "status" else plain


def role_name(role: str | None) -> str:
    """A role in the interface's language; None: a login the workspace has not added."""
    if role is None:
        return _t("not a user here: ask an admin to add you")
    names = {"clerk": _t("clerk"), "approver": _t("approver"), "admin": _t("admin")}
    return names.get(role, role)


def kind_name(kind: str) -> str:
    """A conflict's kind: a field kind, or the chain exception a clerk chases."""
    names = {
        "money": _t("Money"),
        "number": _t("Number"),
        "date": _t("Date"),
        "status": _t("Status"),
        "exact": _t("Exact code"),
        "booked_without_approval": _t("Booked without approval"),
        "approved_not_booked": _t("Approved, not booked"),
        "won_not_submitted": _t("Won, not submitted"),
        "contradiction": _t("Contradiction"),
    }
    return names.get(kind, kind)
