"""Demo notices and policies for 青石街道 (written for this project; all units are fictional
except national laws and regulations, which are cited by their public titles).

Notice dates are offsets in days before the day the demo is loaded, so the pinned,
urgent and expired examples stay meaningful whenever ``load_demo_data`` runs.
"""

TOWN_OFFICE = "青石街道办事处"

# slug, title, category, issuing unit, days ago, extra fields, summary, paragraphs
NOTICES = [
    {
        "slug": "winter-fire-safety-inspection",
        "title": "关于开展冬季消防安全隐患排查整治的通知",
        "category": "notice",
        "unit": TOWN_OFFICE,
        "days_ago": 3,
        "pinned": True,
        "valid_for": 60,
        "attachment": "fire-checklist",
        "summary": "12月底前完成辖区居民楼道、出租房、“九小场所”消防隐患全覆盖排查。",
        "paragraphs": [
            "各村（社区）、各网格：入冬以来，取暖用火用电明显增多，火灾风险上升。为切实保障群众"
            "生命财产安全，街道决定即日起在全辖区开展冬季消防安全隐患排查整治。",
            "一、排查范围：居民楼道和电动自行车停放充电点、出租房屋、小餐饮小作坊等“九小场所”、"
            "独居老人家庭。二、排查方式：以网格为单位，网格员逐户上门，对照检查表逐项登记，"
            "发现隐患当场告知并拍照上报。三、整改要求：一般隐患7日内整改到位，重大隐患立即上报"
            "街道应急管理办公室。",
            "请各村（社区）于每周五下午将排查进度报街道应急管理办公室。附件为入户检查表，可自行打印使用。",
        ],
    },
    {
        "slug": "cold-wave-warning",
        "title": "寒潮预警：请做好防寒防冻和安全出行准备",
        "category": "urgent",
        "unit": "青石街道应急管理办公室",
        "days_ago": 1,
        "urgent": True,
        "valid_for": 4,
        "summary": "未来三天将有强寒潮过程，最低气温降至零下8℃，请关注独居老人和困难群众。",
        "paragraphs": [
            "据县气象台预报，未来三天我街道将出现强寒潮天气，最低气温可降至零下8℃，"
            "并伴有6级左右偏北风。",
            "请各网格员于今日内完成对独居老人、困难家庭的上门走访，检查取暖设施和门窗；"
            "各村（社区）要检查户外水管防冻措施，提醒群众减少不必要的夜间出行。"
            "遇紧急情况请拨打街道24小时值班电话或110、119。",
        ],
    },
    {
        "slug": "2027-medical-insurance-enrolment",
        "title": "东湖社区2027年度城乡居民医疗保险集中参保缴费的通知",
        "category": "notice",
        "unit": "东湖社区居民委员会",
        "days_ago": 10,
        "valid_for": 45,
        "summary": "集中缴费期内可在社区便民服务站或手机上办理，逾期缴费的将设待遇等待期。",
        "paragraphs": [
            "2027年度城乡居民基本医疗保险集中参保缴费工作已经开始。辖区内未参加职工医保的居民，"
            "请在集中缴费期内完成缴费。",
            "办理方式：一是到社区便民服务站窗口办理，请携带本人身份证件；二是通过税务部门的"
            "手机缴费渠道自助办理。行动不便的老年人可联系所在网格的网格员预约上门协助。",
        ],
    },
    {
        "slug": "xiling-low-income-list-q3",
        "title": "关于西岭村第三季度新增低保对象名单的公示",
        "category": "publicity",
        "unit": "西岭村村民委员会",
        "days_ago": 35,
        "valid_for": 7,
        "summary": "公示期7天。对公示对象有异议的，可在公示期内向村委会或街道民政办反映。",
        "paragraphs": [
            "经本人申请、入户调查、民主评议和街道审核，拟将3户家庭纳入最低生活保障范围，"
            "现予以公示。公示内容仅包括户主姓氏、家庭人口数和保障类别。",
            "公示期内如有异议，请以书面或电话方式向村委会或街道民政办反映，"
            "我们将依法核查并予以答复。反映人的信息将严格保密。",
        ],
    },
    {
        "slug": "best-grid-worker-2026",
        "title": "关于表彰年度“最美网格员”的决定",
        "category": "commendation",
        "unit": TOWN_OFFICE,
        "days_ago": 25,
        "summary": "表彰在矛盾调处、防汛救灾、为老服务中表现突出的10名网格员。",
        "paragraphs": [
            "一年来，全街道网格员走千家、进万户，在矛盾纠纷调处、防汛抢险、独居老人关爱等"
            "工作中发挥了重要作用。经各村（社区）推荐、群众评议和街道审定，决定授予10名同志"
            "“最美网格员”称号。",
            "希望受表彰的同志珍惜荣誉、再接再厉；全体网格员要以他们为榜样，"
            "把“小事不出格、大事不出村”落到实处。",
        ],
    },
    {
        "slug": "environment-honour-roll-october",
        "title": "10月份人居环境整治“红黑榜”",
        "category": "honour_roll",
        "unit": "青石街道人居环境整治办公室",
        "days_ago": 20,
        "summary": "东湖社区、南坪村上红榜；北塘社区背街小巷垃圾清运不及时，列入黑榜限期整改。",
        "paragraphs": [
            "根据10月份人居环境整治月度考评结果，东湖社区和南坪村在垃圾分类、门前三包方面成效"
            "明显，列入红榜。",
            "北塘社区部分背街小巷垃圾清运不及时、乱堆乱放问题反弹，列入黑榜，"
            "请于15日内整改并报送整改情况，街道将组织复查。",
        ],
    },
    {
        "slug": "nanping-road-traffic-control",
        "title": "关于南坪村道路硬化工程施工期间临时交通管制的公告",
        "category": "announcement",
        "unit": "南坪村村民委员会",
        "days_ago": 45,
        "valid_for": 60,
        "summary": "施工期间南坪村主干道分段封闭，请过往车辆和村民绕行村北便道。",
        "paragraphs": [
            "经村民代表会议讨论通过，南坪村主干道路面硬化工程已开工建设。为保障施工安全，"
            "施工期间对主干道实行分段封闭。",
            "请过往车辆和村民绕行村北便道，接送学生的家长请提前出行。施工期间如需紧急通行，"
            "请联系村委会值班人员协调。给大家带来的不便，敬请谅解。",
        ],
    },
    {
        "slug": "beitang-elderly-health-check",
        "title": "北塘社区65岁以上老年人免费健康体检预约通知",
        "category": "notice",
        "unit": "北塘社区居民委员会",
        "days_ago": 60,
        "valid_for": 30,
        "summary": "辖区65岁以上常住老年人可预约免费体检，体检当日请空腹。",
        "paragraphs": [
            "社区卫生服务站将为辖区65岁以上常住老年人提供一次免费健康体检，"
            "项目包括血常规、肝肾功能、血糖、心电图和腹部B超。",
            "请老人或家属到社区居委会登记预约，体检当日早晨请空腹，携带身份证件和医保卡。",
        ],
    },
    {
        "slug": "livelihood-projects-2027",
        "title": "关于征集2027年度民生实事项目建议的公告",
        "category": "announcement",
        "unit": TOWN_OFFICE,
        "days_ago": 15,
        "pinned": True,
        "pinned_for": 30,
        "valid_for": 30,
        "summary": "欢迎居民群众就道路、养老、托幼、环境等方面提出2027年度民生实事建议。",
        "paragraphs": [
            "为把好事办到群众心坎上，街道面向全体居民征集2027年度民生实事项目建议。",
            "建议可通过所在网格的网格员转交，或直接送到各村（社区）便民服务站。"
            "街道将对收集的建议进行梳理，提交人大代表票决后向社会公布结果。",
        ],
    },
    {
        "slug": "autumn-recruitment-2026",
        "title": "青石街道征兵工作公告",
        "category": "announcement",
        "unit": "青石街道人民武装部",
        "days_ago": 120,
        "summary": "符合条件的适龄青年可在网上报名，高校毕业生和在校生优先。",
        "paragraphs": [
            "根据上级征兵工作部署，街道启动征兵工作。符合条件的适龄男女青年均可报名应征。",
            "报名咨询请到街道人民武装部，工作日上午8:30至下午5:30。",
        ],
    },
    {
        "slug": "farmland-subsidy-publicity",
        "title": "关于耕地地力保护补贴发放情况的公示",
        "category": "publicity",
        "unit": "青石街道农业农村服务中心",
        "days_ago": 90,
        "valid_for": 7,
        "summary": "公示各村补贴面积和发放总额，农户可在村务公开栏查询本户明细。",
        "paragraphs": [
            "耕地地力保护补贴已按核定面积通过惠民惠农财政补贴资金“一卡通”发放到户。",
            "各村补贴面积和发放总额见下表，农户本户明细可到村务公开栏或向村报账员查询。"
            "如发现面积或金额有误，请于公示期内提出。",
        ],
    },
    {
        "slug": "flood-evacuation-urgent",
        "title": "紧急通知：做好强降雨期间危险区域人员转移避险工作",
        "category": "urgent",
        "unit": "青石街道防汛抗旱指挥部",
        "days_ago": 140,
        "urgent": True,
        "valid_for": 3,
        "summary": "强降雨期间，地质灾害隐患点和低洼地带群众须提前转移至安置点。",
        "paragraphs": [
            "受强降雨影响，我街道部分低洼地带和山体边坡存在较高风险。各村（社区）要立即组织"
            "地质灾害隐患点、危旧房屋和低洼地带群众转移到安置点，做到应转尽转、不落一人。",
            "转移期间安置点要保障饮水、食品和照明，村（社区）干部24小时在岗值守。",
        ],
    },
    {
        "slug": "doorstep-responsibility-honour-roll-september",
        "title": "9月份“门前三包”落实情况红黑榜",
        "category": "honour_roll",
        "unit": "青石街道综合行政执法队",
        "days_ago": 50,
        "summary": "沿街商户门前三包落实情况月度通报。",
        "paragraphs": [
            "9月份共检查沿街商户126家，其中门前整洁、无占道经营的商户列入红榜予以通报表扬。",
            "存在占道经营、乱扔垃圾的商户列入黑榜，执法队已下达整改通知，逾期不改的依法处理。",
        ],
    },
    {
        "slug": "volunteer-team-commendation",
        "title": "关于表彰优秀志愿服务队的决定",
        "category": "commendation",
        "unit": TOWN_OFFICE,
        "days_ago": 320,
        "summary": "东湖社区“银龄互助队”等5支队伍获评优秀志愿服务队。",
        "paragraphs": [
            "过去一年，全街道各志愿服务队在助老助残、环境整治、文明劝导等方面开展了大量服务。"
            "经评审，东湖社区“银龄互助队”、西岭村“护林防火队”等5支队伍获评优秀志愿服务队。",
            "希望广大志愿者继续发扬奉献、友爱、互助、进步的志愿精神。",
        ],
    },
    {
        "slug": "clean-heating-subsidy",
        "title": "冬季清洁取暖设备购置补贴申领公告",
        "category": "announcement",
        "unit": "青石街道经济发展办公室",
        "days_ago": 380,
        "valid_for": 60,
        "summary": "购置符合标准的清洁取暖设备的农户，可凭发票申领一次性补贴。",
        "paragraphs": [
            "为推进农村清洁取暖，对购置空气源热泵、电暖器等符合标准设备的农户给予一次性补贴。",
            "申领时请携带购置发票、户口簿和银行卡到村委会登记，由村委会汇总后报街道审核。",
        ],
    },
    {
        "slug": "population-sample-survey",
        "title": "关于配合做好人口抽样调查入户登记工作的通知",
        "category": "notice",
        "unit": TOWN_OFFICE,
        "days_ago": 400,
        "summary": "调查员将佩戴统一证件入户登记，所登记信息依法保密。",
        "paragraphs": [
            "人口抽样调查将在部分抽中的住户中开展入户登记。调查员佩戴统一调查员证入户。",
            "调查所获得的个人信息依法严格保密，仅用于统计，请居民群众如实申报、积极配合。",
        ],
    },
    {
        "slug": "xiling-finance-q4-notice",
        "title": "西岭村第四季度村级财务收支情况已在村务公开栏公布",
        "category": "publicity",
        "unit": "西岭村村务监督委员会",
        "days_ago": 330,
        "valid_for": 30,
        "summary": "第四季度收支明细已经村务监督委员会审核，村民可在网上或公开栏查看。",
        "paragraphs": [
            "西岭村第四季度财务收支情况已经村务监督委员会审核，现已在村务公开栏和本网站“村务公开”栏目公布。",
            "村民对收支情况有疑问的，可向村务监督委员会书面提出，村委会应在10日内答复。",
        ],
    },
    {
        "slug": "spring-festival-fireworks",
        "title": "关于春节期间城区禁止燃放烟花爆竹的通告",
        "category": "announcement",
        "unit": "青石街道平安建设办公室",
        "days_ago": 680,
        "valid_for": 40,
        "summary": "东湖社区、北塘社区全域禁止燃放烟花爆竹，违者依法处罚。",
        "paragraphs": [
            "为保障群众安全、改善空气质量，春节期间东湖社区、北塘社区全域禁止燃放烟花爆竹。",
            "请广大居民自觉遵守，共同营造安全、文明、祥和的节日氛围。",
        ],
    },
    {
        "slug": "flood-control-deployment",
        "title": "关于做好防汛抗旱工作的通知",
        "category": "notice",
        "unit": "青石街道防汛抗旱指挥部",
        "days_ago": 540,
        "summary": "各村（社区）落实防汛责任人，汛前完成隐患排查和物资储备。",
        "paragraphs": [
            "汛期将至，各村（社区）要落实防汛责任人和网格巡查员，完成对塘堰、河道和危旧房屋的排查。",
            "防汛物资要在汛前储备到位并登记造册，汛期实行24小时值班和信息日报制度。",
        ],
    },
    {
        "slug": "grid-worker-contacts",
        "title": "关于公布各网格网格员联系方式的公告",
        "category": "announcement",
        "unit": TOWN_OFFICE,
        "days_ago": 200,
        "pinned": True,
        "pinned_for": 30,
        "summary": "网格员姓名和工作电话已在各网格公示牌和本网站“找网格员”栏目公布。",
        "paragraphs": [
            "为方便群众反映诉求，街道已将各网格网格长、专职网格员姓名和工作电话"
            "在网格公示牌和本网站“找网格员”栏目公布。",
            "群众遇到矛盾纠纷、安全隐患、困难求助等事项，可直接联系所在网格的网格员。",
        ],
    },
    {
        "slug": "civilised-family-commendation",
        "title": "东湖社区“文明家庭”表彰名单",
        "category": "commendation",
        "unit": "东湖社区居民委员会",
        "days_ago": 450,
        "summary": "经居民推荐和评议，12户家庭获评社区“文明家庭”。",
        "paragraphs": [
            "经居民推荐、楼栋评议和社区“两委”审定，12户家庭获评东湖社区“文明家庭”。",
            "他们孝老爱亲、邻里和睦、热心公益，希望全体居民向他们学习。",
        ],
    },
    {
        "slug": "environment-honour-roll-may",
        "title": "5月份人居环境整治“红黑榜”",
        "category": "honour_roll",
        "unit": "青石街道人居环境整治办公室",
        "days_ago": 560,
        "summary": "西岭村上红榜，南坪村沟渠清淤滞后列入黑榜。",
        "paragraphs": [
            "5月份考评中，西岭村村庄清洁行动成效明显，列入红榜。",
            "南坪村沟渠清淤进度滞后，列入黑榜，请于月底前完成清淤并报街道复查。",
        ],
    },
]

# key, fields; "supersedes"/"interprets" name another key; "repealed_on" makes it repealed.
POLICIES = [
    {
        "key": "organic-law",
        "title": "中华人民共和国村民委员会组织法",
        "level": "national",
        "issuer": "全国人民代表大会常务委员会",
        "document_number": "",
        "issue_date": "2018-12-29",
        "topics": ["基层治理", "村务公开"],
        "summary": "规定村民委员会的组成、职责、选举和村务公开、民主管理、民主监督制度。",
        "paragraphs": [
            "本法是村民自治的基本法律，规定了村民委员会的性质、职责，村民委员会的选举，"
            "村民会议和村民代表会议，以及民主管理和民主监督。",
            "其中关于村务公开的规定要求：一般事项至少每季度公布一次；集体财务往来较多的，"
            "财务收支情况应当每月公布一次；涉及村民利益的重大事项应当随时公布。",
        ],
    },
    {
        "key": "volunteer-regulation",
        "title": "志愿服务条例",
        "level": "national",
        "issuer": "国务院",
        "document_number": "国务院令第685号",
        "issue_date": "2017-08-22",
        "effective_date": "2017-12-01",
        "topics": ["志愿服务"],
        "summary": "规范志愿者、志愿服务组织的权利义务和志愿服务活动，明确志愿服务记录制度。",
        "paragraphs": [
            "条例规定志愿服务组织应当如实记录志愿者的服务时间、内容和评价，"
            "并根据志愿者的要求无偿、如实出具志愿服务记录证明。",
        ],
    },
    {
        "key": "grid-service-opinion",
        "title": "关于加强城乡社区网格化服务管理的实施意见",
        "level": "province",
        "issuer": "省人民政府办公厅",
        "document_number": "省政办〔2024〕21号",
        "issue_date": "2024-05-10",
        "effective_date": "2024-06-01",
        "topics": ["网格化管理", "基层治理"],
        "summary": "明确网格划分标准、网格员配备和“多网合一”要求。",
        "paragraphs": [
            "城市社区网格一般按300至500户划分，农村网格一般按200至300户划分；"
            "每个网格至少配备一名专职网格员，网格长由村（社区）“两委”成员担任。",
            "各地要整合综治、民政、应急等部门在基层设立的各类网格，实现“一网统管”。",
        ],
    },
    {
        "key": "assistance-check-2023",
        "title": "社会救助家庭经济状况核对办法",
        "level": "city",
        "issuer": "市民政局",
        "document_number": "市民发〔2023〕7号",
        "issue_date": "2023-03-15",
        "effective_date": "2023-04-01",
        "superseded_by": "assistance-check-2025",
        "topics": ["社会救助", "低保"],
        "summary": "规定申请社会救助家庭的收入、财产核对范围和程序。",
        "paragraphs": [
            "申请低保、特困供养等社会救助的家庭，应当授权民政部门核对其家庭收入和财产状况。",
        ],
    },
    {
        "key": "assistance-check-2025",
        "title": "社会救助家庭经济状况核对办法（2025年修订）",
        "level": "city",
        "issuer": "市民政局",
        "document_number": "市民发〔2025〕12号",
        "issue_date": "2025-06-10",
        "effective_date": "2025-07-01",
        "topics": ["社会救助", "低保"],
        "summary": "在2023年办法基础上，增加跨部门数据共享核对和“一次授权、多项使用”。",
        "paragraphs": [
            "修订后的办法明确，申请人一次授权后，民政部门可在同一救助周期内多次使用核对结果，"
            "减少群众重复提交材料。",
            "核对中获取的家庭信息只能用于救助审核，不得公开或挪作他用。",
        ],
    },
    {
        "key": "village-finance-2019",
        "title": "清河县村级财务管理办法（试行）",
        "level": "county",
        "issuer": "清河县人民政府办公室",
        "document_number": "清政办〔2019〕15号",
        "issue_date": "2019-04-02",
        "effective_date": "2019-05-01",
        "repealed_on": "2024-12-31",
        "topics": ["村务公开", "集体资产"],
        "summary": "规范村级资金收支审批和财务公开（已废止）。",
        "paragraphs": [
            "本办法规定村级财务实行“村账乡代管”，大额支出须经村民代表会议讨论。",
        ],
    },
    {
        "key": "collective-assets-2024",
        "title": "清河县农村集体“三资”管理办法",
        "level": "county",
        "issuer": "清河县人民政府办公室",
        "document_number": "清政办〔2024〕33号",
        "issue_date": "2024-12-20",
        "effective_date": "2025-01-01",
        "topics": ["集体资产", "村务公开"],
        "summary": "规范农村集体资金、资产、资源的管理和公开，明确财务公开时限。",
        "paragraphs": [
            "村集体资金收支每季度公开一次，收支较多的村每月公开一次；公开内容须经村务监督委员会审核。",
            "集体资产出租、发包须公开招标或竞价，合同在村务公开栏公示不少于7天。",
        ],
    },
    {
        "key": "mediation-procedure",
        "title": "青石街道矛盾纠纷多元化解工作规程",
        "level": "town",
        "issuer": TOWN_OFFICE,
        "document_number": "青办发〔2025〕6号",
        "issue_date": "2025-02-18",
        "topics": ["矛盾纠纷化解", "网格化管理"],
        "summary": "规定矛盾纠纷从网格发现、村级调处到街道化解的流转和时限。",
        "paragraphs": [
            "网格员发现矛盾纠纷后应当日登记上报；一般纠纷由村（社区）调解委员会在7日内调处，"
            "调处不成的及时上报街道综治中心。",
            "坚持“小事不出格、大事不出村、矛盾不上交”，对化解情况实行回访和满意度评价。",
        ],
    },
    {
        "key": "moral-bank",
        "title": "青石街道“道德银行”积分管理办法",
        "level": "town",
        "issuer": TOWN_OFFICE,
        "document_number": "青办发〔2026〕3号",
        "issue_date": "2026-03-05",
        "topics": ["志愿服务", "基层治理"],
        "summary": "居民参加志愿服务、环境整治等可获积分，积分可在“爱心超市”兑换物品。",
        "paragraphs": [
            "积分由村（社区）按统一标准记录并公开，每季度公布一次积分排行。",
            "积分可在各村（社区）“爱心超市”兑换生活用品，兑换情况同样公开接受监督。",
        ],
    },
    {
        "key": "minimum-living-2027",
        "title": "清河县城乡居民最低生活保障实施细则",
        "level": "county",
        "issuer": "清河县民政局",
        "document_number": "清民发〔2026〕18号",
        "issue_date": "2026-10-15",
        "effective_date": "2027-01-01",
        "topics": ["社会救助", "低保"],
        "summary": "调整低保认定条件和审核程序，自2027年1月1日起施行。",
        "paragraphs": [
            "细则明确低保申请可由本人或委托村（社区）代为提出，审核审批时限压缩至30个工作日。",
            "低保对象名单在村（社区）公示时，只公开户主姓名、保障人数和保障金额，不公开身份证号等个人信息。",
        ],
    },
    {
        "key": "collective-assets-interpretation",
        "title": "《清河县农村集体“三资”管理办法》政策解读",
        "level": "county",
        "issuer": "清河县农业农村局",
        "document_number": "",
        "issue_date": "2024-12-26",
        "interprets": "collective-assets-2024",
        "topics": ["集体资产", "村务公开"],
        "summary": "用问答形式说明新办法的主要变化：公开时限、监督委员会审核和资产发包。",
        "paragraphs": [
            "问：新办法对财务公开有什么新要求？答：公开内容要先经村务监督委员会审核，"
            "并同时在村务公开栏和网上公开，方便在外务工的村民查看。",
            "问：村里出租集体厂房要经过哪些程序？答：须经村民代表会议讨论，公开竞价，"
            "合同在公开栏公示不少于7天。",
        ],
    },
    {
        "key": "assistance-check-interpretation",
        "title": "图解：社会救助家庭经济状况核对办法（2025年修订）",
        "level": "city",
        "issuer": "市民政局",
        "document_number": "",
        "issue_date": "2025-06-20",
        "interprets": "assistance-check-2025",
        "topics": ["社会救助"],
        "summary": "一图读懂“一次授权、多项使用”和核对结果的使用限制。",
        "paragraphs": [
            "申请救助时签一次授权书即可，同一救助周期内办理其他救助事项不必重复授权。",
        ],
    },
]

ATTACHMENTS = {
    "fire-checklist": {
        "title": "冬季消防安全入户检查表",
        "filename": "winter-fire-checklist.csv",
        "content": "序号,检查项目,是否合格,备注\n"
        "1,电动自行车是否在楼道内停放充电,,\n"
        "2,取暖器具周边是否堆放可燃物,,\n"
        "3,燃气管道和阀门是否完好,,\n"
        "4,疏散通道是否畅通,,\n",
    }
}
