"""Features of candidate numbers (qa/reader/features.py), each shown choosing the right number."""
from conftest import candidate_features, candidate_texts
from qa.reader import analyse_question
from qa.reader.candidates import MatchingText, MentionContext, figure_years, mentions_of
from qa.reader.features import closeness_to_anchor, words_on_asking_side


def test_word_order_and_anchor_features_prefer_the_right_number(seed_assistant):
    text = "《战栗游戏》是一本由史蒂芬·金1987年出版的恐怖小说，该书在1990年曾改拍成电影"
    terms = analyse_question("《战栗游戏》在哪一年出版？", seed_assistant.index.lexical).terms
    published, filmed = (text.index(y) for y in ("1987年", "1990年"))
    order = [words_on_asking_side(terms, text, 0, len(text), at, at + 5) for at in (published, filmed)]
    assert order[0] > order[1]
    sentence = "2025年1-5月,郑州市规上工业增加值同比增长8.4%,高于全国2.6个百分点"
    at = sentence.index("2025年1-5月")
    near = closeness_to_anchor(("8.4%",), sentence, 0, len(sentence), at, at + 9)
    assert 0 < near < closeness_to_anchor(("8.4%",), sentence, 10, len(sentence), 10, 12)  # closer is more
    assert closeness_to_anchor(("9.9%",), sentence, 0, len(sentence), at, at + 9) == 0


def test_respectively_pairs_the_ith_item_with_the_ith_number(small_assistant):
    # a second article makes 制造业 and 增加值 commoner words than 高技术 and 装备, as they are in real news
    assistant = small_assistant(dict(id="gy", title="2021年工业生产", date="2022-01-17",
                                     text="分三大门类看，高技术制造业、装备制造业增加值分别增长18.2%、12.9%，"
                                          "增速分别比规模以上工业快8.6、3.3个百分点。"),
                                dict(id="zz", title="制造业运行", date="2022-01-17",
                                     text="全年规模以上工业增加值增长9.6%，其中制造业增加值增长9.8%。"))
    for question, right, wrong in [("2021年全国装备制造业增加值增长多少？", "12.9%", "18.2%"),
                                   ("2021年高技术制造业增加值增长多少？", "18.2%", "12.9%")]:
        features = candidate_features(assistant, question)
        assert features[right]["respectively"] == 1.0 and features[wrong]["respectively"] == -1.0
        assert assistant.ask(question).answer.figure_text == right


def test_respectively_pairs_a_year_asked_with_its_figure(small_assistant):
    assistant = small_assistant(dict(id="yd", title="英迪教育集团", date="2020-06-30",
                                     text="英迪在马来西亚经营一间大学及五间学院。其于2018年度及2019年度分别取得税后纯利"
                                          "3192.7万元及3256.5万元。"))
    for question, right, wrong in [("英迪2019年度税后纯利是多少？", "3256.5万元", "3192.7万元"),
                                   ("英迪2018年度税后纯利是多少？", "3192.7万元", "3256.5万元")]:
        features = candidate_features(assistant, question)
        assert features[right]["respectively"] == 1.0 and features[wrong]["respectively"] == -1.0
    # the list's figures are all 税后纯利: none of them is the revenue
    assert candidate_texts(assistant, "英迪2019年度营业收入是多少？") == []


def test_respectively_finds_the_items_in_the_clause_before(small_assistant):
    assistant = small_assistant(dict(id="hf", title="华峰铝业年报", date="2020-09-04",
                                     text="2019年年报显示，华峰铝业的主营业务为交通运输、空调行业、电力电子、其他、机械设备，"
                                          "占营收比例分别为：82.07%、4.29%、3.77%、1.89%、1.41%。"),
                                dict(id="rf", title="荣丰控股年报", date="2020-07-10",
                                     text="2019年年报显示，荣丰控股的主营业务为房地产开发销售、物业管理及租赁，"
                                          "占营收比例分别为：96.08%、3.92%。"),
                                dict(id="yl", title="养老驿站补贴", date="2020-09-04",
                                     text="对连锁运营的养老驿站给予运营补贴，补贴分三年发放到位，运营满一年、两年、三年，"
                                          "分别按照1万元、2万元、3万元予以发放。"))
    for question, right in [("华峰铝业空调行业占营收比例是多少？", "4.29%"),  # not 交通运输, after 主营业务为
                            ("华峰铝业交通运输业务占营收比例是多少？", "82.07%"),
                            ("养老驿站运营满三年发放多少补贴？", "3万元"),  # 运营满 is shared by all three items
                            ("养老驿站运营满一年发放多少补贴？", "1万元"),
                            ("荣丰控股物业管理及租赁业务占营收比例是多少？", "3.92%")]:  # one item joins two words
        features = candidate_features(assistant, question)
        assert features[right]["respectively"] == 1.0, question
        assert sum(f["respectively"] == 1.0 for f in features.values()) == 1, question


def test_a_date_question_asks_when_the_words_after_it_happened(seed_assistant, small_assistant):
    intent = analyse_question("严秋华在哪一年退居幕后？", seed_assistant.index.lexical)
    assert {t.words[0] for t in intent.terms if t.metric} == {"退居幕后"}  # not 严秋华, nor the 一年 of 哪一年
    assistant = small_assistant(dict(id="yan", title="严秋华", date="2020-01-01",
                                     text="严秋华于1993年起退出幕前，转行任职速递公司经理。严秋华于2001年结婚，现在为该公司的总监。"))
    # the best candidate, right or not confident enough to answer: the question's words are not in the text
    assert candidate_texts(assistant, "严秋华在哪一年退居幕后？")[0] == "1993年"  # 退出幕前 shares 退 and 幕


def test_an_event_is_recognised_in_other_words(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="chen", title="陈荣捷", date="2020-01-01",
                                     text="陈荣捷1929年获哈佛大学哲学博士学位。1962年任教于哥伦比亚大学。1994年在美国逝世。"))
    assert candidate_texts(assistant, "陈荣捷卒于哪一年?")[0] == "1994年"  # 卒 ~ 逝世
    station = small_assistant(dict(id="js", title="劲松站", date="2020-01-01",
                                   text="劲松站是北京地铁10号线的车站。2004年4月2日开工，2008年6月30日交付运营。2013年5月5日起设站台门。"))
    assert candidate_texts(station, "劲松站什么时候投入使用?")[0] == "2008年6月30日"  # 投入使用 ~ 交付运营


def test_when_is_answered_by_the_year_not_the_month_after_it(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="wu", title="吴少阳", date="2020-01-01",
                                     text="吴少阳是唐朝中期藩镇将领。元和九年（814年）九月，吴少阳去世。"))
    assert candidate_texts(assistant, "吴少阳在什么时候去世?")[0] == "814年"
    assert candidate_texts(assistant, "吴少阳在哪个月去世?")[0] == "九月"


def test_where_is_answered_by_a_street_number(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="church", title="底特律圣保罗座堂", date="2020-01-01",
                                     text="底特律圣保罗座堂建于20世纪初，位于底特律伍德沃德大道4800号，可容纳1200人。"))
    assert candidate_texts(assistant, "底特律圣保罗座堂在哪里?")[0] == "4800号"


def test_a_date_leading_its_sentence_is_when_the_rest_happened(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="bt", title="吉格梅·多吉·旺楚克", date="2020-01-01",
                                     text="他又建立高等法院并重组法律制度。1953年，他成立了国会。1963年，成立皇家咨询局。"))
    assert candidate_texts(assistant, "吉格梅·多吉·旺楚克在哪一年成立了国会？")[0] == "1953年"
    question = "吉格梅·多吉·旺楚克在哪一年成立了国会？"
    leading = {text: features["leading_date"] for text, features in candidate_features(assistant, question).items()}
    assert leading["1953年"] == 1.0 and leading["1963年"] < 1.0  # 成立 and 国会 follow 1953年; only 成立, 1963年
    assert assistant.reader.model.weights["leading_date"] > 0


def test_which_one_is_answered_by_a_name_with_a_number_not_by_a_count(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="xtc", title="西土城站", date="2020-01-01",
                                     text="西土城站位于北京市海淀区，是北京地铁10号线的一个车站。车站为地下二层岛式车站，共设4个出入口。"))
    assert analyse_question("西土城站是哪条线路的车站?", assistant.index.lexical).asks_which
    assert candidate_texts(assistant, "西土城站是哪条线路的车站?")[0] == "10号"
    assert not analyse_question("西土城站有几个出入口?", assistant.index.lexical).asks_which
    assert candidate_texts(assistant, "西土城站有几个出入口?")[0] == "4个"


def test_a_year_glossing_an_era_date_in_brackets_answers_when(seed_assistant, small_assistant):
    assistant = small_assistant(dict(id="wsc", title="吴少诚", date="2020-01-01",
                                     text="吴少阳软禁少诚。元和四年（809年）秋十一月吴少诚忧病致死，吴少阳继任。"))
    question = "吴少诚在什么时间病逝?"
    assert candidate_texts(assistant, question)[0] == "809年"  # not the 十一月 after it
    features = candidate_features(assistant, question)
    # the year in brackets shares the clause that says what happened then (病逝 ~ 致死)
    assert features["809年"]["clause_terms"] == features["十一月"]["clause_terms"] > 0
    assert any("致死" in term.words for term in analyse_question(question, assistant.index.lexical).terms)


def test_the_base_of_a_comparison_is_not_the_year_of_a_figure(seed_assistant, small_assistant):
    assert figure_years("全年实现地区生产总值40269.6亿元，比上年增长8.5%，与2019年相比，两年平均增长4.7%。") == []
    assert figure_years("2021年营收12亿元，较2020年增长5%，比 2019年增长9%。") == [2021]
    assistant = small_assistant(dict(id="bj", title="北京市2021年经济运行情况", date="2022-01-20",
                                     text="北京市发布2021年全市经济运行情况。全年实现地区生产总值40269.6亿元，比上年增长8.5%，"
                                          "与2019年相比，两年平均增长4.7%。"))
    assert candidate_texts(assistant, "2021年北京市地区生产总值是多少?")[0] == "40269.6亿元"


def test_the_words_around_a_figure_are_read_without_its_qualifier(small_assistant):
    # 约为 is part of the mention (约为7.06亿元) but, for the features, one of the words before the figure, where the
    # question has it too (总代价约为多少)
    question = "招商局置地收购西安地块的总代价约为多少？"
    assistant = small_assistant(dict(id="zs", title="招商局置地收购西安地块", date="2021-06-01",
                                     text="招商局置地公告，以总代价约为7.06亿元收购西安一幅住宅地块，楼面地价每平方米约6980元。"))
    reader, vocabulary = assistant.reader, assistant.index.lexical
    hit = assistant.retriever.search(question, 1)[0]
    mentions = mentions_of(hit.passage.text)
    mention = next(m for m in mentions if m.text == "约为7.06亿元")
    context = MentionContext(reader.analyse(question, vocabulary), vocabulary, hit, 1, MatchingText.of(hit.passage),
                             mention, 0, mentions)
    assert (context.figure.start, context.figure.end) == (mention.start + 2, mention.end)
    assert context.label.endswith("总代价约为")
    assert assistant.ask(question).answer.text == "约为7.06亿元"


def test_everyday_words_of_change_find_the_words_news_uses(small_assistant):
    # 涨 ~ 上升: the revenue's rise is said in a word the question does not use; the share price's in its own
    others = [dict(id=f"other-{i}", title=title, date="2019-09-10", text=text) for i, (title, text) in enumerate([
        ("港股收盘", "恒生指数收涨1.2%，科技股普遍上涨，成交额放大。"),
        ("A股收盘", "沪指收涨0.8%，两市成交额连续多日突破万亿元，北向资金净买入。"),
        ("油价", "国际油价周二上涨，布伦特原油期货收涨2.1%，报每桶62.4美元。")])]
    assistant = small_assistant(dict(id="viva", title="维亚生物", date="2019-09-10",
                                     text="格隆汇9月10日丨维亚生物(1873.HK)大涨8.39%，报4.52港元。花旗研报指，"
                                          "维亚生物2019年上半年录得收入1.42亿元人民币，按年上升83.9%，净利润按年下降12.5%。"),
                                *others)
    assert candidate_texts(assistant, "维亚生物2019年上半年收入涨了多少？")[0] == "83.9%"
