"""The console's words of the administration pages (系统设置): (zh, en).

Terms follow DESIGN.md §11 (管理处, 业户, 部门负责人, 主管副总经理, 总经理, 调休).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.admin": ("系统设置", "Administration"),
    "admin.title": ("系统设置", "Administration"),
    "admin.intro": (
        "管理各管理处的基本信息、业户资料、组织架构、分派规则与时限，以及通知设置。",
        "Each site's details, residents, organisation, routing rules and deadlines, and "
        "notify settings.",
    ),
    "admin.sites": ("管理处", "Sites"),
    "admin.no_sites": ("还没有管理处，请在下方添加。", "No sites yet; add one below."),
    "admin.settings": ("设置", "Settings"),
    "admin.sections": ("管理处设置", "Site settings"),
    "admin.years": ("{n} 年", "{n} years"),
    "admin.add": ("添加", "Add"),
    "admin.save": ("保存", "Save"),
    "admin.remove": ("删除", "Remove"),
    "admin.cancel": ("取消", "Cancel"),
    "admin.field.timezone": ("时区", "Time zone"),
    # tabs
    "admin.tab.site": ("基本信息", "Details"),
    "admin.tab.directory": ("业户资料", "Residents"),
    "admin.tab.import": ("导入业户", "Import"),
    "admin.tab.organisation": ("组织架构", "Organisation"),
    "admin.tab.rules": ("分派与时限", "Rules and deadlines"),
    "admin.tab.office": ("通知设置", "Notify settings"),
    # what was done
    "admin.done.site_created": (
        "管理处已添加。接下来请导入业户资料、建立组织架构并设置分派规则。",
        "The site is added. Next: import its residents, set up its organisation and rules.",
    ),
    "admin.done.site_changed": ("管理处信息已保存。", "The site's details are saved."),
    "admin.done.building_created": ("楼栋已添加。", "The building is added."),
    "admin.done.building_changed": ("楼栋已保存。", "The building is saved."),
    "admin.done.building_removed": ("楼栋已删除。", "The building is removed."),
    "admin.done.unit_created": ("房号已添加。", "The unit is added."),
    "admin.done.unit_changed": ("房号已保存。", "The unit is saved."),
    "admin.done.unit_removed": ("房号已删除。", "The unit is removed."),
    "admin.done.household_created": ("业户已添加。", "The household is added."),
    "admin.done.household_changed": ("业户资料已保存。", "The household is saved."),
    "admin.done.household_removed": (
        "业户已移出业户资料（记录保留至保存期满）。",
        "The household is out of the directory (its record is kept until retention ends).",
    ),
    "admin.done.imported": ("业户资料已导入。", "The directory is imported."),
    "admin.done.department_created": ("部门已添加。", "The department is added."),
    "admin.done.department_changed": ("部门已保存。", "The department is saved."),
    "admin.done.staff_created": ("人员已添加。", "The member of staff is added."),
    "admin.done.staff_changed": ("人员已保存。", "The member of staff is saved."),
    "admin.done.leadership": (
        "主管副总经理和总经理已保存。",
        "The VP in charge and the general manager are saved.",
    ),
    "admin.done.routing": (
        "分派规则已保存，之后登记的投诉按新规则分派。",
        "The routing rules are saved; complaints recorded from now on follow them.",
    ),
    "admin.done.deadlines": (
        "时限已保存，之后登记的投诉按新时限计算。",
        "The deadlines are saved; complaints recorded from now on get them.",
    ),
    "admin.done.calendar": ("工作时间与节假日已保存。", "Working hours and holidays are saved."),
    "admin.done.settings": ("通知设置已保存。", "Notify settings are saved."),
    "admin.done.contacts": ("人员联系方式已保存。", "The staff's addresses are saved."),
    # sites
    "admin.add_site": ("添加管理处", "Add a site"),
    "admin.add_site.button": ("添加管理处", "Add the site"),
    "admin.site.name": ("管理处名称", "Name"),
    "admin.site.code": ("编号前缀", "Code"),
    "admin.site.code_hint": (
        "投诉编号的前缀：大写字母开头，最多 10 位字母或数字，如 GH。添加后不能修改。",
        "The prefix of complaint references: a capital letter, then up to 9 letters or "
        "digits, e.g. GH. It cannot change later.",
    ),
    "admin.site.code_stays": (
        "编号前缀已印在发出的每个投诉编号上，不能修改。",
        "The code is in every reference already issued, so it cannot change.",
    ),
    "admin.site.region": ("所属区域", "Region"),
    "admin.site.retention": ("资料保存年限", "Records kept for"),
    "admin.site.developer": ("发展商联系方式", "Developer's contact"),
    "admin.site.id": ("系统标识", "Site id"),
    "admin.site.id_hint": (
        "可不填，由系统生成。只允许字母、数字和 _.:-。",
        "Optional; generated when empty. Letters, digits and _.:- only.",
    ),
    "admin.site.facts": ("管理处信息", "About the site"),
    "admin.site.created": ("添加时间", "Added"),
    "admin.site.updated": ("最近修改", "Last changed"),
    "admin.site.change": ("修改管理处信息", "Change the site's details"),
    "admin.setup": ("设置进度", "What is set up"),
    "admin.setup.buildings": ("{n} 栋楼", "{n} buildings"),
    "admin.setup.no_buildings": ("还没有楼栋和业户", "No buildings or residents yet"),
    "admin.setup.organisation": (
        "{departments} 个部门、{staff} 位人员",
        "{departments} departments, {staff} staff",
    ),
    "admin.setup.no_organisation": ("还没有部门", "No departments yet"),
    "admin.setup.rules": (
        "{routes} 条分派规则、{policies} 条时限规定、{holidays} 个节假日",
        "{routes} routing rules, {policies} deadline rules, {holidays} holidays",
    ),
    "admin.setup.no_office": ("尚未设置（使用默认值）", "Not set (defaults apply)"),
    # the directory
    "admin.households": ("业户", "Households"),
    "admin.search": ("查找业户", "Find a household"),
    "admin.search.button": ("查找", "Find"),
    "admin.search.hint": (
        "输入姓名、房号、楼栋、“楼栋-房号”（如 3栋-1201）或电话号码（可只输入后几位）。",
        "A name, unit, building, building-unit (e.g. 3栋-1201) or phone number (or its "
        "last digits).",
    ),
    "admin.search.found": ("“{q}”：找到 {n} 户。", "“{q}”: {n} found."),
    "admin.search.found_more": ("“{q}”：以下 {n} 户，还有更多。", "“{q}”: {n} shown, more follow."),
    "admin.no_households": ("还没有业户。", "No households yet."),
    "admin.household.where": ("楼栋-房号", "Building-unit"),
    "admin.household.occupancy": ("业主 / 住户", "Owner or tenant"),
    "admin.household.phones": ("电话", "Phone numbers"),
    "admin.household.phones_hint": (
        "多个号码用逗号或分号隔开。",
        "Separate several numbers with commas or semicolons.",
    ),
    "admin.household.email": ("电子邮件", "E-mail"),
    "admin.household.moved_in_on": ("入住日期（可不填）", "Moved in on (optional)"),
    "admin.household.removed": ("已移出", "Removed"),
    "admin.household.removed_at": (
        "此业户已于 {at} 移出业户资料。",
        "This household was taken out of the directory on {at}.",
    ),
    "admin.household.change": ("修改业户资料", "Change the household"),
    "admin.household.updated": ("最近修改：{at}", "Last changed {at}"),
    "admin.buildings": ("楼栋", "Buildings"),
    "admin.no_buildings": ("还没有楼栋。", "No buildings yet."),
    "admin.add_building": ("添加楼栋", "Add a building"),
    "admin.building": ("楼栋 {code}", "Building {code}"),
    "admin.building.code": ("楼栋编号", "Building"),
    "admin.building.code_example": ("如：3栋", "e.g. 3栋"),
    "admin.building.name": ("楼栋名称", "Name"),
    "admin.building.name_optional": ("楼栋名称（可不填）", "Name (optional)"),
    "admin.building.change": ("修改楼栋", "Change the building"),
    "admin.units": ("房号", "Units"),
    "admin.no_units": ("此楼栋还没有房号。", "This building has no units yet."),
    "admin.add_unit": ("添加房号", "Add a unit"),
    "admin.unit": ("房号 {building}-{number}", "Unit {building}-{number}"),
    "admin.unit.floor": ("楼层", "Floor"),
    "admin.unit.floor_optional": ("楼层（可不填）", "Floor (optional)"),
    "admin.unit.change": ("修改房号", "Change the unit"),
    "admin.unit.households": ("居住的业户", "Households living here"),
    "admin.unit.nobody": ("此房号还没有业户。", "Nobody lives here yet."),
    "admin.add_household": ("添加业户", "Add a household"),
    "admin.confirm.building": ("删除楼栋 {code}？", "Remove building {code}?"),
    "admin.confirm.building_text": (
        "只能删除没有房号的楼栋；请先删除它的房号。",
        "Only a building without units can be removed; remove its units first.",
    ),
    "admin.confirm.unit": ("删除房号 {building}-{number}？", "Remove unit {building}-{number}?"),
    "admin.confirm.unit_text": (
        "只能删除没有业户、也没有投诉记录的房号。",
        "Only a unit with no households and no complaints can be removed.",
    ),
    "admin.confirm.household": (
        "将 {name}（{building}-{number}）移出业户资料？",
        "Take {name} ({building}-{number}) out of the directory?",
    ),
    "admin.confirm.household_text": (
        "此业户将不再收到通知和满意度征询；投诉记录保留，保存期满后匿名处理。",
        "They will get no more notices or surveys; their complaints stay on record and are "
        "anonymised when the retention period ends.",
    ),
    "admin.confirm.button": ("确认删除", "Remove"),
    "admin.confirm.refused_buildings": (
        "此楼栋还有房号，不能删除。",
        "This building still has units, so it stays.",
    ),
    "admin.confirm.refused_units": (
        "此房号还有业户或投诉记录，不能删除。",
        "This unit has households or complaints, so it stays.",
    ),
    "admin.confirm.refused_households": (
        "此业户已经移出。",
        "This household was taken out already.",
    ),
    "admin.refused.409": (
        "与现有的资料冲突（例如编号已被使用），没有保存。",
        "This clashes with what is there already (a code in use, say); nothing was saved.",
    ),
    # the import
    "admin.import.upload": ("上传业户资料文件", "Upload a directory file"),
    "admin.import.intro": (
        "文件中的楼栋、房号不存在时会自动添加；同一房号中同名的业户视为同一户，资料会更新。导入不会删除任何业户。",
        "Buildings and units that do not exist yet are added; a household with the same "
        "name in the same unit is the same household and is updated. Nothing is removed.",
    ),
    "admin.import.choose": ("选择文件（CSV 或 JSON）", "Choose a file (CSV or JSON)"),
    "admin.import.file_hint": (
        "CSV 文件可由 Excel“另存为 CSV”得到（UTF-8 或 GBK 编码均可），最大 8 MB、5 万行。",
        "A CSV file as Excel saves it (UTF-8 or GBK), at most 8 MB and 50,000 rows.",
    ),
    "admin.import.button": ("导入", "Import"),
    "admin.import.format": ("文件格式", "The file's format"),
    "admin.import.format_intro": (
        "第一行是列名（使用下表左列的英文列名），之后每行一户。",
        "The first line names the columns (as in the left column below), then one "
        "household per line.",
    ),
    "admin.import.template": ("下载示例文件", "Download an example file"),
    "admin.import.column": ("列名", "Column"),
    "admin.import.meaning": ("内容", "What it holds"),
    "admin.import.required": ("必填", "required"),
    "admin.import.phones_hint": ("多个号码用分号隔开", "several numbers separated by ;"),
    "admin.import.occupancy_hint": (
        "owner 为业主，tenant 为住户；不填为业主",
        "owner or tenant; owner when empty",
    ),
    "admin.import.date_hint": ("如 2021-06-01", "e.g. 2021-06-01"),
    "admin.import.rules": (
        '也可上传 JSON 文件：{"rows": [ … ]}，每行一个对象，字段与列名相同。',
        'A JSON file also works: {"rows": [ … ]}, one object per household, with the '
        "column names as fields.",
    ),
    "admin.import.col.building": ("楼栋", "Building"),
    "admin.import.col.unit": ("房号", "Unit"),
    "admin.import.col.floor": ("楼层", "Floor"),
    "admin.import.col.name": ("业户姓名", "Name"),
    "admin.import.col.phones": ("电话", "Phone numbers"),
    "admin.import.col.email": ("电子邮件", "E-mail"),
    "admin.import.col.occupancy": ("业主 / 住户", "Owner or tenant"),
    "admin.import.col.moved_in_on": ("入住日期", "Moved in on"),
    "admin.import.choice": (
        "只能填写 owner（业主）或 tenant（住户）",
        "Only owner or tenant",
    ),
    "admin.import.nth": ("{what}（第 {n} 个）", "{what} (number {n})"),
    "admin.import.the_row": ("此行", "The row"),
    "admin.import.repeated": (
        "与第 {line} 行是同一业户（同一房号、同名）",
        "The same household as line {line} (same unit, same name)",
    ),
    "admin.import.extra_fields": (
        "此行的栏数比第一行的列名多",
        "The row has more fields than the first line has columns",
    ),
    "admin.import.not_an_object": ("此行不是一个对象", "The row is not an object"),
    "admin.import.refused": (
        "有 {n} 行有误，没有导入任何内容。",
        "{n} rows are not valid, so nothing was imported.",
    ),
    "admin.import.file": ("文件：{name}", "File: {name}"),
    "admin.import.bad_rows": ("有误的行", "Rows to correct"),
    "admin.import.line": ("行号", "Line"),
    "admin.import.line_n": ("第 {n} 行", "Line {n}"),
    "admin.import.what": ("问题", "What is wrong"),
    "admin.import.fix": (
        "请在文件中改正以上各行，再重新选择文件导入。",
        "Correct these lines in the file, then choose it again and import.",
    ),
    "admin.import.done": ("已导入 {rows} 行。", "{rows} rows imported."),
    "admin.import.counts": (
        "新增楼栋 {buildings} 栋、房号 {units} 个、业户 {created} 户；"
        "更新 {updated} 户；{unchanged} 户没有变化。",
        "New: {buildings} buildings, {units} units, {created} households; {updated} "
        "updated; {unchanged} unchanged.",
    ),
    "admin.import.see": ("查看业户资料", "See the residents"),
    "admin.upload.none": ("请先选择要导入的文件。", "Choose a file to import first."),
    "admin.upload.empty": ("文件是空的。", "The file is empty."),
    "admin.upload.too_large": ("文件超过 8 MB。", "The file is larger than 8 MB."),
    "admin.upload.not_text": (
        "无法读取此文件：请上传 CSV 或 JSON 文本文件（Excel 文件请先“另存为 CSV”）。",
        "This file cannot be read: upload a CSV or JSON text file (save an Excel sheet as "
        "CSV first).",
    ),
    # the organisation
    "admin.chain": ("投诉上报链", "The escalation chain"),
    "admin.chain.intro": (
        "投诉处理人处理不了时，按部门逐级上报：部门负责人 → 主管副总经理 → 总经理。",
        "A complaint a handler cannot settle goes up, per department: department head → VP "
        "in charge → general manager.",
    ),
    "admin.chain.nobody": ("未指定", "Nobody"),
    "admin.chain.none": (
        "还没有部门。请先添加部门和人员。",
        "No departments yet; add departments and staff first.",
    ),
    "admin.chain.no_vp": ("未指定主管副总经理", "No VP in charge"),
    "admin.chain.no_gm": ("未指定总经理", "No general manager"),
    "admin.departments": ("部门", "Departments"),
    "admin.add_department": ("添加部门", "Add a department"),
    "admin.department.code": ("部门代码", "Department code"),
    "admin.department.code_hint": (
        "小写英文字母开头，只用小写字母、数字和下划线，如 engineering。"
        "分派规则用它指定部门，添加后不能修改。",
        "Lower-case letters, digits and _, starting with a letter, e.g. engineering. Rules "
        "name the department by it; it cannot change later.",
    ),
    "admin.department.code_is": ("部门代码：{code}", "Department code: {code}"),
    "admin.department.name_zh": ("中文名称", "Chinese name"),
    "admin.department.name": ("英文名称", "English name"),
    "admin.department.head_hint": (
        "从本部门角色为“部门负责人”的人员中选择。",
        "One of the department's staff whose role is department head.",
    ),
    "admin.leadership": ("公司领导", "Leadership"),
    "admin.leadership.hint": (
        "从角色为主管副总经理、总经理的人员中选择。",
        "Chosen from the staff whose role is VP in charge or general manager.",
    ),
    "admin.leadership.site_name": ("单据上的管理处名称", "The site's name on documents"),
    "admin.leadership.region": ("所属区域代码（可不填）", "Region code (optional)"),
    "admin.leadership.region_hint": ("如 south_china", "e.g. south_china"),
    "admin.staff": ("人员", "Staff"),
    "admin.add_staff": ("添加人员", "Add a member of staff"),
    "admin.staff.id": ("登录账号", "Sign-in id"),
    "admin.staff.id_hint": (
        "此人在集团统一登录中的账号，添加后不能修改。",
        "Their id in the group's sign-in (the token's subject); it cannot change later.",
    ),
    "admin.staff.id_is": ("登录账号：{id}", "Sign-in id: {id}"),
    "admin.staff.role": ("角色", "Role"),
    "admin.staff.no_department": ("（不属于部门）", "(no department)"),
    "admin.staff.department_hint": (
        "投诉处理人和部门负责人必须属于一个部门。",
        "Complaint handlers and department heads belong to a department.",
    ),
    "admin.staff.active": ("在职（停用后不再分派案件）", "Active (inactive staff get no cases)"),
    "admin.staff.inactive": ("已停用", "Inactive"),
    # rules
    "admin.rules.intro": (
        "以下是本管理处现行的规则；保存后，之后登记的投诉即按新规则分派和计算时限。",
        "These are the site's rules in force; complaints recorded after saving follow the "
        "new ones.",
    ),
    "admin.rules.routing": ("分派规则", "Routing rules"),
    "admin.rules.default_department": ("默认责任部门", "Default department"),
    "admin.rules.shipped_default": ("按系统默认（见下表）", "As shipped (see below)"),
    "admin.rules.default_hint": (
        "没有匹配的规则时分派到此部门。",
        "Complaints no rule matches go to this department.",
    ),
    "admin.rules.routes_hint": (
        "同时符合多条规则时，以最具体的为准：专业分类优先，其次类别，再次紧急程度。不需要的规则勾选“删除”。",
        "When several rules match, the most specific wins: category first, then kind, then "
        "severity. Tick “remove” to drop a rule.",
    ),
    "admin.rules.row": ("第 {n} 行", "Row {n}"),
    "admin.rules.any": ("不限", "Any"),
    "admin.rules.unused": ("（空行）", "(empty row)"),
    "admin.rules.remove": ("删除", "Remove"),
    "admin.rules.remove_row": ("删除第 {n} 行", "Remove row {n}"),
    "admin.rules.unknown_department": (
        "{code}（本管理处没有此部门）",
        "{code} (no such department here)",
    ),
    "admin.rules.save_routing": ("保存分派规则", "Save the routing rules"),
    "admin.rules.shipped_routes": (
        "系统默认分派（未设默认部门且没有规则匹配时）",
        "Shipped routing (when no rule matches and no default department is set)",
    ),
    "admin.rules.deadlines": ("处理时限", "Deadlines"),
    "admin.rules.clock": ("计时方式", "Counted in"),
    "admin.rules.hours": ("小时", "h"),
    "admin.rules.minutes": ("分钟", "min"),
    "admin.rules.h_m": ("{h} 小时 {m} 分钟", "{h} h {m} min"),
    "admin.rules.policies_hint": (
        "按工作时间计时，只计算下方的上班时间（节假日不计，调休日照常计）。专业分类和紧急程度都不限的一行是本管理处的默认时限。",
        "Working hours count only the office's hours below (not holidays; make-up working "
        "days count). A row with any category and any severity is the site's default.",
    ),
    "admin.rules.follow_up": ("发展商跟进提醒间隔", "Remind to chase the developer every"),
    "admin.rules.save_deadlines": ("保存时限", "Save the deadlines"),
    "admin.rules.shipped_policies": (
        "系统默认时限（没有规则匹配时）",
        "Shipped deadlines (when no rule matches)",
    ),
    "admin.rules.calendar": ("工作时间与节假日", "Working hours and holidays"),
    "admin.rules.week": ("每周上班时间", "The working week"),
    "admin.rules.weekday": ("星期", "Day"),
    "admin.rules.open": ("上班", "Open"),
    "admin.rules.start": ("开始", "From"),
    "admin.rules.end": ("结束", "To"),
    "admin.rules.holidays": ("节假日与调休", "Holidays and make-up working days"),
    "admin.rules.holidays_hint": (
        "法定节假日不上班；勾选“调休上班”表示该日照常上班（按一个完整工作日计）。",
        "Holidays are days off; tick “make-up working day” (调休) for a day that is worked "
        "as a full working day.",
    ),
    "admin.rules.day": ("日期", "Date"),
    "admin.rules.holiday_name": ("名称", "Name"),
    "admin.rules.working": ("调休上班", "Make-up day"),
    "admin.rules.save_calendar": ("保存工作时间与节假日", "Save working hours and holidays"),
    # notify's office
    "admin.office.settings": ("通知设置", "Notify settings"),
    "admin.office.defaults": (
        "此管理处还没有通知设置，目前使用系统默认值。",
        "This site has no notify settings yet; the defaults apply.",
    ),
    "admin.office.name": ("管理处名称（通知中显示）", "The office's name in messages"),
    "admin.office.name_hint": (
        "发给业户的短信、邮件中以此名称署名。",
        "Messages to residents are signed with this name.",
    ),
    "admin.office.phone": ("服务电话", "Service phone"),
    "admin.office.callback_delay": ("回访间隔（小时）", "Callback after (hours)"),
    "admin.office.callback_delay_hint": (
        "答复业户后多少小时安排回访。",
        "How many hours after the reply the callback falls due.",
    ),
    "admin.office.hours_start": ("上班时间", "Office opens"),
    "admin.office.hours_end": ("下班时间", "Office closes"),
    "admin.office.locale": ("默认语言", "Default language"),
    "admin.office.locale_hint": (
        "业户没有选择语言时使用。",
        "For residents who chose no language.",
    ),
    "admin.office.acknowledge": (
        "收到投诉后通知业户已受理",
        "Tell residents their complaint was received",
    ),
    "admin.office.contacts": ("人员联系方式", "Staff addresses"),
    "admin.office.contacts_hint": (
        "有新案件、上报或超时时，系统按这里的电子邮件和电话通知相关人员。人员名单来自组织架构。",
        "New cases, escalations and missed deadlines are sent to these addresses. The "
        "people are the organisation's.",
    ),
    "admin.office.message_locale": ("通知语言", "Language"),
    "admin.office.not_in_organisation": ("不在组织架构中", "Not in the organisation"),
    "admin.office.remove": ("删除 {name} 的联系方式", "Remove {name}'s addresses"),
    "admin.office.no_staff": ("组织架构中还没有人员。", "The organisation has no staff yet."),
    # the services' field errors, in words
    "admin.error.number": ("请填写整数", "Enter a whole number"),
    "admin.error.range": ("超出允许的范围", "This is out of the allowed range"),
    "admin.error.date": ("请填写有效的日期，如 2021-06-01", "Enter a valid date, e.g. 2021-06-01"),
    "admin.error.clock_time": ("请填写有效的时间，如 09:00", "Enter a valid time, e.g. 09:00"),
    "admin.error.duration": ("请填写小时和分钟（整数）", "Enter whole hours and minutes"),
    "admin.error.too_many": ("数量超过上限", "There are too many"),
    "admin.error.unknown_field": ("不认识的栏目", "This field is not known"),
    "admin.error.phone": (
        "不是有效的电话号码（5 到 20 位数字）",
        "Not a phone number (5 to 20 digits)",
    ),
    "admin.error.time_zone": (
        "不认识的时区，请填写如 Asia/Shanghai",
        "Not a known time zone; e.g. Asia/Shanghai",
    ),
    "admin.error.single_line": ("只能填写一行", "This must be a single line"),
    "admin.error.control": ("含有不允许的字符", "This holds characters that are not allowed"),
    "admin.error.hours_order": ("开始时间必须早于结束时间", "The start must come before the end"),
    "admin.error.acknowledge_first": (
        "受理时限不能长于处理时限",
        "Acknowledging may not take longer than resolving",
    ),
    "admin.error.same_route": (
        "有两条规则的专业分类、类别和紧急程度完全相同",
        "Two rules have the same category, kind and severity",
    ),
    "admin.error.same_policy": (
        "有两条时限的专业分类和紧急程度完全相同",
        "Two deadlines have the same category and severity",
    ),
    "admin.error.same_holiday": ("同一日期只能出现一次", "Each date may appear once"),
    "admin.error.no_working_day": ("每周至少要有一个上班日", "The week needs a working day"),
    "admin.error.twice": ("同一人员出现了两次", "Someone is listed twice"),
}
