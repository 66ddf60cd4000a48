<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>FieldNames</name>
    <message>
        <location filename="../../ui/field_names.py" line="+19"/>
        <source>Line</source>
        <translation>明细行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salesperson</source>
        <translation>业务员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name</source>
        <translation>名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Surname</source>
        <translation>姓</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Landline</source>
        <translation>固定电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer code</source>
        <translation>客户编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invoice no.</source>
        <translation>发票号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approval no.</source>
        <translation>审批单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source no.</source>
        <translation>来源单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record no.</source>
        <translation>记录号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Net amount</source>
        <translation>不含税金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+165"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>Delivery date</source>
        <translation>交货日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+162"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Postcode</source>
        <translation>邮政编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Street number</source>
        <translation>门牌号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product code</source>
        <translation>产品编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product</source>
        <translation>产品名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 no.</source>
        <translation>%1 编号</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1: take %2&apos;s value</source>
        <translation>%1：采用 %2 的值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: set to %2</source>
        <translation>%1：改为 %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>propose fix</source>
        <translation>提议修正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fix approved</source>
        <translation>批准修正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fix rejected</source>
        <translation>驳回修正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write-back started</source>
        <translation>开始写回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write-back done</source>
        <translation>写回完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write-back failed</source>
        <translation>写回失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write-back recovered as done</source>
        <translation>恢复写回（已完成）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write-back recovered as failed</source>
        <translation>恢复写回（未写入）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rollback</source>
        <translation>回滚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>withdraw decision</source>
        <translation>撤回决定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>propose merge</source>
        <translation>提议合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge approved</source>
        <translation>批准合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge rejected</source>
        <translation>驳回合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge written</source>
        <translation>合并已写回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge withdrawn</source>
        <translation>撤回合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unmerge</source>
        <translation>取消合并</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>accept</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>take</source>
        <translation>采用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>decide %1</source>
        <translation>决定：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>company</source>
        <translation>公司</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e-mail</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>key</source>
        <translation>主键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reference</source>
        <translation>关联编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>money</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>product code</source>
        <translation>产品编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>auto</source>
        <translation>自动匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>orphan</source>
        <translation>孤立记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>single</source>
        <translation>单条记录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accepted</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to re-check</source>
        <translation>待重新核对</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>proposed</source>
        <translation>已提议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>written</source>
        <translation>已写回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rolled back</source>
        <translation>已回滚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rolling back</source>
        <translation>回滚中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unmerged</source>
        <translation>已取消合并</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pending</source>
        <translation>审批中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>not a user here: ask an admin to add you</source>
        <translation>不是本工作区用户：请管理员添加你</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clerk</source>
        <translation>办事员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Money</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exact code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Booked without approval</source>
        <translation>未审批已入账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved, not booked</source>
        <translation>已审批未入账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Won, not submitted</source>
        <translation>已赢单未提交审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contradiction</source>
        <translation>状态矛盾</translation>
    </message>
</context>
<context>
    <name>QtDuplicatesPage</name>
    <message>
        <location filename="../../ui/pages/qt_duplicates.py" line="+210"/>
        <location line="+401"/>
        <source>Duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="-396"/>
        <source>Every cluster</source>
        <translation>全部簇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicates inside one system</source>
        <translation>同一系统内的重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Linked across systems only</source>
        <translation>仅跨系统关联</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Merge into the golden record</source>
        <translation>合并为主记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve merge</source>
        <translation>批准合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+455"/>
        <source>Write back</source>
        <translation>写回</translation>
    </message>
    <message>
        <location line="-454"/>
        <source>Unmerge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export crosswalk…</source>
        <translation>导出新旧编码对照…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-point references…</source>
        <translation>改指引用…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In the systems: survivors take the golden values, duplicates are marked inactive</source>
        <translation>写回各系统：保留记录取主记录的值，重复记录标记为停用</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Golden record: the surviving value of every field and where it comes from</source>
        <translation>主记录：每个字段保留的值及其来源</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Records in this cluster</source>
        <translation>本组中的记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this record</source>
        <translation>保留此记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview merge</source>
        <translation>预览合并</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Find duplicates in the demo&apos;s customer masters</source>
        <translation>在演示的客户主数据中查找重复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import customer masters…</source>
        <translation>导入客户主数据…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import customer masters and choose “Find duplicates” to see clusters here.</source>
        <translation>导入客户档案并选择“查找重复”，重复组将显示在这里。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cluster</source>
        <translation>重复组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Systems</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1 clusters of duplicates (%2 with two records of one system)</source>
        <translation>%1 个重复簇（其中 %2 个含同一系统的两条记录）</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>most trusted system</source>
        <translation>最可信的系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>most recent</source>
        <translation>最新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>most complete record</source>
        <translation>最完整的记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>most frequent</source>
        <translation>出现最多</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>longest</source>
        <translation>最长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>typed by hand</source>
        <translation>手工录入</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the system</source>
        <translation>系统中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>retired</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>(none: this system keeps no duplicates)</source>
        <translation>（无：该系统不保留重复记录）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>value meaning inactive, such as 停用</source>
        <translation>表示停用的值，例如 停用</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: mark duplicates inactive by</source>
        <translation>%1：标记重复记录停用的列</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Re-point references</source>
        <translation>改指引用</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>References re-pointed: none</source>
        <translation>改指的引用：无</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>References re-pointed: %1</source>
        <translation>改指的引用：%1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not merged in the systems yet.</source>
        <translation>尚未在各系统中合并。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Merge %1 proposed by %2: another person approves it before it is written back.</source>
        <translation>合并 %1 由 %2 提出：写回前须由另一人批准。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Merge %1 approved: ready to write back.</source>
        <translation>合并 %1 已批准：可以写回。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge %1 written back: %3 records retired, references re-pointed.</source>
        <translation>合并 %1 已写回：%3 条记录已停用，引用已改指。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge %1 was withdrawn.</source>
        <translation>合并 %1 已撤回。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge %1 was unmerged: values, records and references are back.</source>
        <translation>合并 %1 已撤销：数值、记录和引用均已恢复。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Preview: merging writes %1 cells and retires %2 records; nothing is stored yet.</source>
        <translation>预览：合并将写入 %1 个单元格并停用 %2 条记录；尚未保存任何内容。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Merge cluster</source>
        <translation>合并重复组</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Write merge %1 into the systems? A backup is kept and it can be unmerged.</source>
        <translation>将合并 %1 写回各系统？会保留备份，之后可以撤销合并。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Unmerge cluster</source>
        <translation>撤销合并重复组</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>No merge has been written back yet.</source>
        <translation>还没有写回过任何合并。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export the crosswalk</source>
        <translation>导出新旧编码对照</translation>
    </message>
</context>
<context>
    <name>QtFixesPage</name>
    <message>
        <location filename="../../ui/pages/qt_fixes.py" line="+112"/>
        <location line="+72"/>
        <location line="+78"/>
        <source>Fixes</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>Approve selected</source>
        <translation>批准所选</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview (dry run)</source>
        <translation>预演（不写入）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write back approved</source>
        <translation>回写已批准项</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Reject selected</source>
        <translation>驳回所选</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Roll back last write-back…</source>
        <translation>回滚上一次写回…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Means</source>
        <translation>含义</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposed by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No workspace is open.</source>
        <translation>没有打开的工作区。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>four-eyes on: nobody approves a fix they proposed</source>
        <translation>双人复核已开启：任何人都不能批准自己提议的修正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>four-eyes off</source>
        <translation>双人复核已关闭</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acting as %1 (%2) · %3</source>
        <translation>当前用户 %1（%2）· %3</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 fixes rejected.</source>
        <translation>已驳回 %1 条修正。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 fixes approved.</source>
        <translation>已批准 %1 条修正。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nothing approved yet.</source>
        <translation>尚无已批准的修正。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write %1 approved changes into %2? A backup is kept and the write-back can be rolled back.</source>
        <translation>将 %1 条已批准的修改写入 %2？系统会保留备份，写回可以回滚。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Write back</source>
        <translation>回写</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No write-back to roll back.</source>
        <translation>没有可回滚的回写。</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+7"/>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Roll back write-back %1? These get their earlier values back: %2</source>
        <translation>回滚写回 %1？以下文件将恢复原来的值：%2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Write-back %1 done.</source>
        <translation>写回 %1 已完成。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rolled back.</source>
        <translation>已回滚。</translation>
    </message>
</context>
<context>
    <name>QtHistoryPage</name>
    <message>
        <location filename="../../ui/pages/qt_history.py" line="+151"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write-backs</source>
        <translation>写回记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roll back…</source>
        <translation>回滚…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+109"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>Filter by who, action or item…</source>
        <translation>按操作人、操作或项目筛选…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check all</source>
        <translation>全部校验</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>reconcile</source>
        <translation>对账</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>duplicates</source>
        <translation>查重</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Run</source>
        <translation>对账任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Groups</source>
        <translation>分组数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Matched</source>
        <translation>已匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orphans</source>
        <translation>孤立记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seconds</source>
        <translation>耗时（秒）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Inventory accuracy</source>
        <translation>库存准确率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Auto-match rate per run</source>
        <translation>各次运行的自动匹配率</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Auto-match rate (%)</source>
        <translation>自动匹配率（%）</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+45"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="-44"/>
        <location line="+45"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cells</source>
        <translation>单元格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Audit log (the latest %1 of %2; Export… has them all)</source>
        <translation>审计日志（显示最新 %1 条，共 %2 条；导出可得全部）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>checking the chain…</source>
        <translation>正在校验链…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>chain intact</source>
        <translation>校验链完整</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chain broken at entry %1</source>
        <translation>校验链在第 %1 条记录处断开</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
</context>
<context>
    <name>QtImportPage</name>
    <message>
        <location filename="../../ui/pages/qt_import.py" line="+136"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Drop exports here, or add them. Label each with its system, check the preview and the column types, then run.</source>
        <translation>将导出文件拖放到此处，或点击“添加文件”。为每个文件标明所属系统，核对预览和列类型，然后运行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove table</source>
        <translation>移除此表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add database table…</source>
        <translation>添加数据库表…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reconcile across systems</source>
        <translation>跨系统对账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find duplicates</source>
        <translation>查找重复记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Header row</source>
        <translation>表头行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save types as profile</source>
        <translation>将类型保存为映射方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Columns and fields</source>
        <translation>列与字段</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Add exports</source>
        <translation>添加导出文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exports (%1)</source>
        <translation>导出文件 (%1)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Register a database connection in Settings first.</source>
        <translation>请先在“设置”中登记数据库连接。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>Add database table</source>
        <translation>添加数据库表</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Connection:</source>
        <translation>连接：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Table (schema.table) or a SELECT query:</source>
        <translation>表名（模式.表名）或 SELECT 查询：</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>Profiles saved: these headers will be read this way next time.</source>
        <translation>映射方案已保存：下次遇到相同表头时将按此方式读取。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Add at least two tables to reconcile, or one to find duplicates.</source>
        <translation>跨系统对账至少需要两张表，查找重复记录至少需要一张表。</translation>
    </message>
</context>
<context>
    <name>QtMainWindow</name>
    <message>
        <location filename="../../ui/qt_main_window.py" line="+141"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review</source>
        <translation>复核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settlements</source>
        <translation>核销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixes</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Concord — reconcile ERP, CRM and OA</source>
        <translation>Concord — ERP、CRM、OA 数据对账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New reconciliation…</source>
        <translation>新建对账任务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the demo</source>
        <translation>打开演示数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reading the files</source>
        <translation>正在读取文件</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <source>Understanding the columns</source>
        <translation>正在识别列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normalising values</source>
        <translation>正在规范化数值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Matching</source>
        <translation>正在匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grouping records</source>
        <translation>正在归组记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding conflicts</source>
        <translation>正在查找冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saving the run</source>
        <translation>正在保存运行结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding the invoices each payment fits</source>
        <translation>正在查找每笔收款相符的发票</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settling payments</source>
        <translation>正在核销收款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Concord</source>
        <translation>Concord</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Interrupted write-backs</source>
        <translation>被中断的写回</translation>
    </message>
</context>
<context>
    <name>QtOverviewPage</name>
    <message>
        <location filename="../../ui/pages/qt_overview.py" line="+104"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No reconciliation yet. Import files or open the demo.</source>
        <translation>尚无对账任务。请导入文件，或打开演示数据。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+88"/>
        <source>Matched</source>
        <translation>已匹配</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+88"/>
        <source>To review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+88"/>
        <source>Orphans</source>
        <translation>孤立记录</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Inventory accuracy</source>
        <translation>库存准确率</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 product lines agree in every system</source>
        <translation>%2 个产品行中有 %1 个在各系统一致</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Document chain: open exceptions</source>
        <translation>单据链：未处理异常</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>≤ 2 days</source>
        <translation>≤ 2 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>3–7 days</source>
        <translation>3–7 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&gt; 7 days</source>
        <translation>&gt; 7 天</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 groups from %2 tables · auto-match rate %3 · %4 decided</source>
        <translation>%1 个分组（来自 %2 张表）· 自动匹配率 %3 · 已处理 %4 个</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>inventory accuracy %1 (%2 of %3 product lines agree)</source>
        <translation>库存准确率 %1（%3 个物料行中 %2 个一致）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Records per table</source>
        <translation>各表记录数</translation>
    </message>
</context>
<context>
    <name>QtPairModel</name>
    <message>
        <location filename="../../ui/models/qt_pair_model.py" line="+66"/>
        <source> (the same value, written differently)</source>
        <translation>（值相同，写法不同）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why (bits)</source>
        <translation>匹配依据（比特）</translation>
    </message>
</context>
<context>
    <name>QtReferenceDialog</name>
    <message>
        <location filename="../../ui/pages/qt_duplicates.py" line="+35"/>
        <source>Re-point references</source>
        <translation>改指引用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Columns that hold these systems&apos; record IDs, found in the files beside the imported ones. The ticked ones are pointed at the surviving record when the merge is written.</source>
        <translation>以下各列存有这些系统的记录编号，是在导入文件所在的文件夹中找到的。勾选的列会在写回合并时改指到保留的记录。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>IDs of</source>
        <translation>编号所属系统</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Values that are IDs</source>
        <translation>是编号的值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Other table…</source>
        <translation>其他表…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No column in the files beside the imported ones holds these IDs.</source>
        <translation>导入文件所在文件夹中没有存放这些编号的列。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A table whose column holds these records&apos; IDs</source>
        <translation>某列存放这些记录编码的表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tables (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation>表格 (*.xlsx *.xlsm *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No column there holds these IDs.</source>
        <translation>该文件中没有存放这些编号的列。</translation>
    </message>
</context>
<context>
    <name>QtReviewPage</name>
    <message>
        <location filename="../../ui/pages/qt_review.py" line="+253"/>
        <source>All groups</source>
        <translation>全部分组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auto-matched</source>
        <translation>自动匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orphans</source>
        <translation>孤立记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With conflicts</source>
        <translation>存在冲突</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decided</source>
        <translation>已处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open and decided</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search keys and names…</source>
        <translation>搜索编号和名称…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept (A)</source>
        <translation>确认 (A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject (R)</source>
        <translation>拒绝 (R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit value (E)</source>
        <translation>修改值 (E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulk actions</source>
        <translation>批量操作</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Band</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Match</source>
        <translation>匹配度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Systems</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount at stake</source>
        <translation>涉及金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 days behind</source>
        <translation>滞后 %1 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>behind</source>
        <translation>滞后</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Any field</source>
        <translation>全部字段</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Any system</source>
        <translation>全部系统</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Accept every auto-matched group</source>
        <translation>确认全部自动匹配分组</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+354"/>
        <source>%1: trust %2</source>
        <translation>%1：以 %2 为准</translation>
    </message>
    <message>
        <location line="-301"/>
        <source>%1 of %2</source>
        <translation>%1 / 共 %2 条</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>%1 · %2 · match %3 · %4</source>
        <translation>%1 · %2 · 匹配度 %3 · %4</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Where: </source>
        <translation>来源：</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>too weak a match</source>
        <translation>匹配度太低</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>already matched more strongly elsewhere</source>
        <translation>已与其他记录更强地匹配</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its group holds a record that contradicts this one</source>
        <translation>其所在组中有与之矛盾的记录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nearest candidates: </source>
        <translation>最接近的候选：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none found</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>not written — the document&apos;s total is the sum of its lines; correct the lines in %1</source>
        <translation>不写回——单据合计是各明细行之和，请在 %1 中修改明细行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not written — the document has no single line of this product; correct it in %1</source>
        <translation>不写回——该单据没有唯一一条此物料的明细行，请在 %1 中修改</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&lt;b&gt;%1&lt;/b&gt; %2: has no word for %3 (it holds: %4) — pick one below</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2：没有与 %3 对应的词（该列有：%4）— 请在下方选择</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Will write: </source>
        <translation>将写入：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Write in %1 %2 instead:</source>
        <translation>改为在 %1 %2 中写入：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>choose one of its words…</source>
        <translation>从该列已有的词中选择…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Write %1 for %2</source>
        <translation>以 %1 代替 %2</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Take %1 (%2)</source>
        <translation>采用 %1 (%2)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Accept group</source>
        <translation>确认分组</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reject group</source>
        <translation>拒绝分组</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Take %1 for %2</source>
        <translation>%2 采用 %1 的值</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Edit value</source>
        <translation>修改值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>True value of %1:</source>
        <translation>%1 的正确值：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set %1</source>
        <translation>设置 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Accept %1 auto-matched groups</source>
        <translation>确认 %1 个自动匹配分组</translation>
    </message>
</context>
<context>
    <name>QtSettingsPage</name>
    <message>
        <location filename="../../ui/pages/qt_settings.py" line="+97"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amounts may differ by</source>
        <translation>金额容差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dates may differ by (days)</source>
        <translation>日期容差（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+76"/>
        <source>Four-eyes</source>
        <translation>双人复核</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>Whoever proposed a fix cannot approve it</source>
        <translation>修正的提出人不能批准该修正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database connections (passwords are kept in the system keyring)</source>
        <translation>数据库连接（密码保存在系统密钥环中）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add connection…</source>
        <translation>添加连接…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+6"/>
        <location line="+7"/>
        <location line="+7"/>
        <source>Add connection</source>
        <translation>添加连接</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Name (such as ERP):</source>
        <translation>名称（如 ERP）：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Database URL (such as postgresql://user@host:5432/erp):</source>
        <translation>数据库地址（如 postgresql://user@host:5432/erp）：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Password (kept in the keyring):</source>
        <translation>密码（保存在密钥环中）：</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Only an admin of the workspace changes this.</source>
        <translation>只有工作区管理员可以更改此项。</translation>
    </message>
</context>
<context>
    <name>QtSettlementsPage</name>
    <message>
        <location filename="../../ui/pages/qt_settlements.py" line="+281"/>
        <location line="+417"/>
        <location line="+172"/>
        <source>Settlements</source>
        <translation>核销</translation>
    </message>
    <message>
        <location line="-586"/>
        <source>Which invoices each payment pays: one, several, or part of one. Pick the receipts and the invoices (or sales orders) exported from your systems, then settle.</source>
        <translation>每笔收款核销哪些发票：一张、几张，或一张的一部分。选择从系统导出的收款单和发票（或销售订单），然后核销。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use the demo files</source>
        <translation>使用示例文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A receipts list (收款单) and an invoice list (销售发票) bundled with Concord</source>
        <translation>Concord 自带的收款单和销售发票示例</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settle with this set</source>
        <translation>按此组核销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pay the invoices of the set chosen in full with this payment</source>
        <translation>用这笔收款全额核销所选这一组发票</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Payments (receipts):</source>
        <translation>收款单：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invoices (or orders):</source>
        <translation>发票（或订单）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an .xlsx, .xls or .csv export</source>
        <translation>从系统导出的表格文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invoices up to</source>
        <translation>发票最早</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> days older</source>
        <translation> 天前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A payment pays invoices dated at most this many days before it.</source>
        <translation>收款只核销日期在其之前至多这么多天的发票。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invoices add up to a payment within this much.</source>
        <translation>发票合计与收款金额相差不超过此数即视为相符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settle</source>
        <translation>核销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export to Excel…</source>
        <translation>导出表格…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by payment, customer or invoice…</source>
        <translation>按收款单号、客户或发票号筛选…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+555"/>
        <source>Open invoices</source>
        <translation>未清发票</translation>
    </message>
    <message>
        <location line="-546"/>
        <source>settled</source>
        <translation>已核销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>partial</source>
        <translation>部分核销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ambiguous</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unmatched</source>
        <translation>未匹配</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+520"/>
        <source>Payment</source>
        <translation>收款单号</translation>
    </message>
    <message>
        <location line="-519"/>
        <location line="+12"/>
        <location line="+508"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="-519"/>
        <location line="+520"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-519"/>
        <location line="+11"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+515"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="-514"/>
        <source>Pays invoices</source>
        <translation>核销发票</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+19"/>
        <location line="+502"/>
        <source>Remainder</source>
        <translation>未清余额</translation>
    </message>
    <message>
        <location line="-520"/>
        <location line="+521"/>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="-516"/>
        <location line="+10"/>
        <location line="+502"/>
        <source>Invoice</source>
        <translation>发票号</translation>
    </message>
    <message>
        <location line="-509"/>
        <source>Paid</source>
        <translation>已收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>未清</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Set</source>
        <translation>组合</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+502"/>
        <source>Invoice amount</source>
        <translation>发票金额</translation>
    </message>
    <message>
        <location line="-501"/>
        <location line="+502"/>
        <source>Applied</source>
        <translation>核销金额</translation>
    </message>
    <message>
        <location line="-489"/>
        <source>%1 pays %2 = %3</source>
        <translation>%1 核销 %2 = %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> (chosen by %1)</source>
        <translation>（%1 选定）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 pays %2 of %3; %4 remains open on %5 (no set of open invoices adds up to %2: oldest first)</source>
        <translation>%1 核销 %3 共 %2；%5 尚余 %4 未清（没有一组未清发票之和等于 %2：按日期从早到晚核销）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 (%2) fits %3 sets of open invoices: %4 — goes to review</source>
        <translation>%1（%2）与 %3 组未清发票金额相符：%4 — 转人工复核</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> (%1 read as %2)</source>
        <translation>（%1 视为 %2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 has no amount</source>
        <translation>%1 没有金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) is no receipt of money</source>
        <translation>%1（%2）不是收款（金额不为正）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) names no customer</source>
        <translation>%1（%2）没有写客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) has no date</source>
        <translation>%1（%2）没有日期</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2): no open invoice of its customer within the window</source>
        <translation>%1（%2）：该客户在时间范围内没有未清发票</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2): every open invoice of its customer waits for a review or fits a later payment</source>
        <translation>%1（%2）：该客户的未清发票都在等待复核，或正好由之后的收款核销</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2) is more than all open invoices of its customer, and no set of them adds up to it</source>
        <translation>%1（%2）超过该客户全部未清发票之和，且没有一组发票之和等于它</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2): no set of open invoices adds up to it</source>
        <translation>%1（%2）：没有一组未清发票之和等于它</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose an export</source>
        <translation>选择导出文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exports (%1)</source>
        <translation>导出文件 (%1)</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Settling…</source>
        <translation>正在核销…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelled: nothing settled.</source>
        <translation>已取消：未核销任何收款。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not settled.</source>
        <translation>未能核销。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The payments file %1 cannot be settled.</source>
        <translation>收款单文件 %1 无法核销。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The invoices file %1 cannot be settled.</source>
        <translation>发票文件 %1 无法核销。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The files cannot be settled.</source>
        <translation>这两个文件无法核销。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export the file again with that column, or choose the other file: receipts need an amount, a customer and a date; invoices too.</source>
        <translation>请重新导出包含该列的文件，或选择另一个文件：收款单和发票都需要金额、客户和日期。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No settlement yet: choose the two files above.</source>
        <translation>尚未核销：请先选择上面的两个文件。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: %2
%3</source>
        <translation>%1：%2
%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 payments of %2 against %3 invoices of %4.</source>
        <translation>%2 的 %1 笔收款，对照 %4 的 %3 张发票。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 invoices not paid in full: %2 open in all.</source>
        <translation>%1 张发票未全额收款：共 %2 未清。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 of %2 payments</source>
        <translation>显示 %1 / %2 笔收款</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Set %1 no longer fits %2: another payment was settled with one of its invoices. Choose another set.</source>
        <translation>第 %1 组已不适用于 %2：其中有发票已被另一笔收款核销。请选择另一组。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose a payment to see the invoices it pays.</source>
        <translation>选择一笔收款，查看它核销的发票。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Set %1: %2</source>
        <translation>第 %1 组：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ambiguous: goes to review, nothing applied. It fits %1 sets:</source>
        <translation>待复核：转人工复核，不核销任何金额。它与 %1 组发票相符：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Set %1: %2 = %3</source>
        <translation>组合 %1：%2 = %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+31"/>
        <source>Payment: %1</source>
        <translation>收款：%1</translation>
    </message>
    <message numerus="yes">
        <location line="-20"/>
        <source>settled: pays %n invoice(s) in full</source>
        <translation>
            <numerusform>已核销：全额核销 %n 张发票</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Invoices %1 = payment %2</source>
        <translation>发票合计 %1 = 收款 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>partial: no set of open invoices adds up to it; paid oldest first</source>
        <translation>部分核销：没有一组未清发票之和等于它，按日期从早到晚核销</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applied %1 of payment %2; %3 stays open on %4</source>
        <translation>收款 %2 已核销 %1；%4 尚余 %3 未清</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>unmatched: nothing applied</source>
        <translation>未匹配：不核销任何金额</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Export the settlement</source>
        <translation>导出核销结果</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Settlement</source>
        <translation>核销单号</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Payment amount</source>
        <translation>收款金额</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 cannot be written (%2): choose another name or folder.</source>
        <translation>%1 无法写入（%2）：请换一个文件名或文件夹。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>QtStartPage</name>
    <message>
        <location filename="../../ui/pages/qt_start.py" line="+51"/>
        <source>Welcome to Concord</source>
        <translation>欢迎使用 Concord</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import the exports of your ERP, CRM and OA systems; Concord matches the records, shows every disagreement side by side, and writes the fixes you approve back.</source>
        <translation>导入 ERP、CRM 和 OA 系统的导出数据，Concord 会自动匹配各系统的记录，将每一处差异并排列出，并把您批准的修正回写到源数据。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New reconciliation…</source>
        <translation>新建对账任务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the demo</source>
        <translation>打开演示数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent runs</source>
        <translation>最近的对账</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: %2 groups, %3 conflicts, %4 orphans</source>
        <translation>%1：%2 个分组，%3 处冲突，%4 条孤立记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing yet: open the demo to see the whole flow.</source>
        <translation>暂无记录：打开演示数据，体验完整流程。</translation>
    </message>
</context>
<context>
    <name>QtState</name>
    <message>
        <location filename="../../ui/qt_state.py" line="+309"/>
        <location line="+38"/>
        <source>Recording %1 decisions…</source>
        <translation>正在记录 %1 项决定…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Taking back %1 decisions…</source>
        <translation>正在撤销 %1 项决定…</translation>
    </message>
    <message>
        <location line="-258"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>QtWorker</name>
    <message>
        <location filename="../../ui/qt_worker.py" line="+98"/>
        <source>The workspace is busy or unreachable (%1): nothing was changed. Try again in a moment.</source>
        <translation>工作区正忙或无法连接（%1）：未做任何更改。请稍后重试。</translation>
    </message>
</context>
</TS>
