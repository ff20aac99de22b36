#!/usr/bin/env python3
"""Builds the held-out evaluation set from the source document alone.

Each fact item carries its source paragraph number (1..20) in this script only,
for the coverage check; the number is not written to the JSONL files.
Run: python3 make_heldout.py   (writes the JSONL files next to this script)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = "/work/shared/source/belarus-in-the-osce.txt"

JUN15 = ["June"]
JUL = ["July"]


def F(p, q, all_=(), any_=()):
    return ("fact", p, q, list(all_), list(any_), [])


def O(q, forbid=()):
    return ("oos", None, q, [], [], list(forbid))


def S(q):
    return ("smalltalk", None, q, [], [], [])


EN = [
    # p1
    F(1, "How many participating States are there in the OSCE?", ["57"]),
    F(1, "osce member count", ["57"]),
    F(1, "Is Mongolia one of the OSCE participating States?", ["Mongolia"]),
    F(1, "What does the abbreviation OSCE stand for?", [],
      ["Security and Cooperation in Europe", "Security and Co-operation in Europe"]),
    # p2
    F(2, "How does the OSCE take its decisions?", ["consensus"]),
    F(2, "what are the dimensions of the osce mandate", ["politico-military", "human"]),
    F(2, "Do some participating States have more say than others in the OSCE, or is everyone on an equal footing?", ["equal"]),
    # p3
    F(3, "Why is the OSCE seen as a unique forum for political dialogue?", [],
      ["comprehensive", "wide range"]),
    # p4
    F(4, "Since when has Belorussia been a full member of the OSCE?", ["1992"],
      ["January 30", "30 January"]),
    F(4, "wen did belarus becom an osce membr", ["1992"]),
    F(4, "Where is the Permanent Delegation of the Republic of Belarus to the OSCE located?", ["Vienna"]),
    F(4, "What year was Belarus's permanent mission to the OSCE set up?", ["1992"]),
    F(4, "In which country does the Belarusian delegation to the OSCE operate?", [],
      ["Austria", "Vienna"]),
    # p5
    F(5, "Why is taking part in the OSCE important for Belarus?", [],
      ["foreign policy", "dialogue", "expert assistance"]),
    F(5, "Hi, I was wondering what exactly Belarus gets out of being in the OSCE - like, what is it actually using the organisation for, in practical terms?", [],
      ["foreign policy", "expert assistance", "dialogue"]),
    # p6
    F(6, "Which OSCE bodies does Belarus participate in?", [],
      ["Permanent Council", "Forum for Security", "Joint Consultative Group", "Open Skies"]),
    F(6, "Does Belarus take part in drafting and adopting OSCE decisions and documents?", [],
      ["active", "elaborat", "drafting"]),
    # p7
    F(7, "who heds the osce ofice in ashgabad", ["Drozd"]),
    F(7, "Since when has Natalia Drozd led the OSCE office in Turkmenistan?", ["2016"], JUL),
    F(7, "Which OSCE office is headed by Natalya Drozd?", ["Ashgabat"]),
    F(7, "Do Belarusians serve in the OSCE Special Monitoring Mission to Ukraine?", [],
      ["Monitoring Mission", "SMM"]),
    # p8
    F(8, "Is the Belarusian parliament a member of the OSCE PA?", [],
      ["National Assembly", "full-fledged", "full member"]),
    F(8, "What topics did the resolutions initiated by Belarusian parliamentarians in the OSCE Parliamentary Assembly cover?", [],
      ["trafficking", "environmental security", "social and economic rights"]),
    F(8, "In which years did Belarusian MPs initiate resolutions on human trafficking in the OSCE PA?", ["2011", "2014"]),
    # p9
    F(9, "When did Minsk host the OSCE PA anual session?", ["2017"], JUL),
    F(9, "Which annual session of the OSCE Parliamentary Assembly took place in Minsk?", ["26"]),
    F(9, "Where was the 26th OSCE PA Annual Session held?", ["Minsk"]),
    F(9, "exact dates of the osce pa session in minsk", ["2017"],
      ["5 to 9 July", "5-9 July", "5 - 9 July", "July 5", "5 July"]),
    F(9, "Which OSCE PA President met Lukashenko in Minsk during the 2017 session?", ["Muttonen"]),
    F(9, "Who was the OSCE Chairperson-in-Office that met Alexander Lukashenka in July 2017?", ["Kurz"]),
    # p10
    F(10, "Which resolution initiated by the Belarusian delegation won almost unanimous backing in the OSCE PA?", ["Psychoactive"]),
    F(10, "How much support did the Belarusian resolution on new psychoactive substances get?", ["unanimous"]),
    # p11
    F(11, "Which OSCE institutions does Belarus cooperate with?", [],
      ["ODIHR", "Democratic Institutions", "Freedom of the Media"]),
    F(11, "Does Belarus work with the OSCE Representative on Freedom of the Media?", ["Freedom of the Media"]),
    F(11, "How would you describe Belarus's cooperation with ODIHR?", [],
      ["pragmatic", "constructive"]),
    # p12
    F(12, "When did the OSCE Advisory and Monitoring Group work in Belarus?", ["1998", "2002"]),
    F(12, "AMG belarus years", ["1998", "2002"]),
    F(12, "when did the osce offfice in minsk close", ["2010"]),
    F(12, "what year did the osce office in minsk open", ["2003"]),
    F(12, "What came out of the OSCE field operations in Belarus?", [],
      ["technical assistance"]),
    # p13
    F(13, "How does Belarus cooperate with the OSCE today, now that there is no field office in Minsk?", [],
      ["directly", "joint projects"]),
    # p14
    F(14, "Since wich year has the OSCE-UNDP smal arms project been runing in Belarus?", ["2007"]),
    F(14, "How many Ministry of Defence facilities does the SALW project cover?", ["15"]),
    F(14, "Which UN agency is the OSCE's partner in the Belarus small arms and light weapons project?", ["UNDP"]),
    F(14, "What is the goal of the SALW capacity-building project?", [],
      ["storage", "stockpile"]),
    # p15
    F(15, "When was the pilot package of OSCE technical assistance projects implemented in Belarus?", ["2012", "2014"]),
    F(15, "What areas did the pilot technical assistance package cover?", [],
      ["domestic violence", "frontier", "environmental security", "politico-military"]),
    # p16
    F(16, "When did Lamberto Zannier visit Minsk together with the ODIHR Director?", ["2015"], JUN15),
    F(16, "Who was the ODIHR Director who came to Minsk with the Secretary General in June 2015?", ["Link"]),
    F(16, "Which OSCE Secretary General visited Minsk in June 2015?", ["Zannier"]),
    # p17
    F(17, "What is the estimated cost of the liquid propellant components utilisation project?", ["1.3"]),
    F(17, "I've read that a second package of OSCE direct technical assistance projects for Belarus was endorsed on the sidelines of a high-level visit; could you tell me for which years it was meant to be implemented?", ["2015", "2017"]),
    F(17, "Who signed the memorandum of understanding on the liquid rocket propellant project?", ["Defen"]),
    # p18
    F(18, "Who did Belarusian Foreign Minister Vladimir Makey meet at the OSCE Ministerial Council in December 2017?", ["Greminger"]),
    F(18, "Who was Belarus's foreign minister at the Vienna Ministerial Council in 2017?", ["Makei"]),
    F(18, "Where did the December 2017 OSCE Ministerial Council take place?", ["Vienn"]),
    # p19
    F(19, "What is Belarus's position on reforming the OSCE?", ["reform"]),
    F(19, "Does Belarus want to turn the OSCE into a full-fledged international organization?", [],
      ["full-fledged", "international organization", "international organisation"]),
    # p20
    F(20, "Which document does Belarus refer to regarding the OSCE's role in conflict settlement?", ["Charter for European Security"]),
    F(20, "belarus position conflict settlement osce", [],
      ["sovereignty", "territorial integrity", "Charter"]),
    # out of scope: near misses
    O("When did Ukraine join the OSCE?", ["1992"]),
    O("When did Kazakhstan become a participating State of the OSCE?", ["1992"]),
    O("Who heads the OSCE office in Bishkek?", ["Drozd"]),
    O("When did the OSCE Office in Yerevan close?", ["2010"]),
    O("When did the OSCE Advisory and Monitoring Group work in Moldova?", ["1998", "2002"]),
    O("When did Lamberto Zannier visit Kyiv?", ["2015"]),
    O("What is the OSCE's annual budget?", ["1.3"]),
    O("How many diplomats work at the Permanent Delegation of Belarus in Vienna?", ["57", "15"]),
    O("Who is the head of the Permanent Delegation of Belarus to the OSCE?", ["Drozd", "Makei"]),
    O("When did Belarus join the United Nations?", ["1992"]),
    O("When did Belarus become a member of the Council of Europe?", ["1992"]),
    O("When did Belarus join NATO?", ["1992"]),
    O("How much did the OSCE-UNDP small arms project cost?", ["1.3"]),
    O("How many facilities does the liquid propellant disposal project cover?", ["15"]),
    O("Who was Belarus's Minister of Defence in 2015?", ["Makei", "Lukashenko"]),
    O("When did the OSCE Office in Minsk reopen?", ["2003"]),
    O("When did Natalya Drozd step down as head of the Ashgabat office?", ["2016"]),
    O("How many votes did the psychoactive substances resolution receive?", ["57"]),
    O("Who was the OSCE Secretary General in 2021?", ["Greminger", "Zannier"]),
    O("Where did the OSCE Ministerial Council meet in 2018?", ["Vienn", "2017"]),
    O("Where was the 2019 OSCE PA Annual Session held?", ["26th", "2017"]),
    O("Who was the OSCE Chairperson-in-Office in 2018?", ["Kurz"]),
    O("Who is the current president of the OSCE Parliamentary Assembly?", ["Muttonen"]),
    O("What's the weather like in Minsk today?"),
    O("Can you give me a recipe for draniki?"),
    # smalltalk
    S("hi"),
    S("Good morning!"),
    S("thanks, that's helpful"),
    S("help"),
    S("What kind of questions can I ask you?"),
]

RU = [
    F(1, "Сколько государств-участников в ОБСЕ?", ["57"]),
    F(1, "обсе сколько стран", ["57"]),
    F(2, "Как в ОБСЕ принимаются решения?", ["консенсус"]),
    F(3, "Чем ОБСЕ уникальна как площадка для политического диалога?", [],
      ["всеобъемлющ", "комплексн", "широк"]),
    F(4, "С какого времени Беларусь является полноправным членом ОБСЕ?", ["1992"],
      ["30 января", "30.01"]),
    F(4, "когда белоруссия вступила в обсе", ["1992"]),
    F(4, "Где работает Постоянное представительство Беларуси при ОБСЕ?", ["Вен"]),
    F(4, "В каком году было создано постоянное представительство Республики Беларусь при ОБСЕ?", ["1992"]),
    F(5, "Почему участие в ОБСЕ так важно для Беларуси?", [],
      ["внешнеполитическ", "диалог", "экспертн"]),
    F(6, "В работе каких органов ОБСЕ участвует Беларусь?", [],
      ["Постоянн", "Форум", "Консультативн"]),
    F(7, "Кто возглавляет офис ОБСЕ в Ашхабаде?", ["Дрозд"]),
    F(7, "С какого года Наталья Дрозд руководит офисом ОБСЕ в Туркменистане?", ["2016"]),
    F(7, "Какой офис ОБСЕ возглавляет белоруска Наталья Дрозд?", ["Ашхабад"]),
    F(7, "Работают ли белорусы в Специальной мониторинговой миссии ОБСЕ в Украине?", ["Украин"]),
    F(8, "В какие годы белорусские парламентарии инициировали в ПА ОБСЕ резолюции по торговле людьми?", ["2011", "2014"]),
    F(8, "Является ли делегация Национального собрания Беларуси членом Парламентской ассамблеи ОБСЕ?", [],
      ["полноправн", "Национальн"]),
    F(9, "Когда в Минске прошла сессия Парламентской ассамблеи ОБСЕ?", ["2017"], ["июл"]),
    F(9, "Какая по счёту ежегодная сессия ПА ОБСЕ прошла в Минске?", ["26"]),
    F(9, "В каком городе прошла 26-я ежегодная сессия ПА ОБСЕ?", ["Минск"]),
    F(9, "Кто был действующим председателем ОБСЕ, встречавшимся с Лукашенко в Минске в июле 2017 года?", ["Курц"]),
    F(10, "Какую резолюцию, внесённую белорусской делегацией, ПА ОБСЕ поддержала почти единогласно?", [],
      ["психоактивн"]),
    F(11, "С какими институтами ОБСЕ сотрудничает Беларусь?", [],
      ["БДИПЧ", "демократическим институтам", "СМИ"]),
    F(11, "Как развивается сотрудничество Беларуси с БДИПЧ?", [],
      ["прагматичн", "конструктивн"]),
    F(12, "Когда в Беларуси работала Консультативно-наблюдательная группа ОБСЕ?", ["1998", "2002"]),
    F(12, "когда закрыли офис обсе в минске", ["2010"]),
    F(12, "В каком году открылся Офис ОБСЕ в Минске?", ["2003"]),
    F(13, "Как Беларусь сотрудничает с ОБСЕ сейчас, когда полевого присутствия в стране нет?", [],
      ["напрямую", "непосредственно", "совместн"]),
    F(14, "С какого года в Беларуси реализуется совместный проект ОБСЕ и ПРООН по стрелковому оружию?", ["2007"]),
    F(14, "На скольких объектах Министерства обороны реализуется проект по стрелковому оружию и лёгким вооружениям?", ["15"]),
    F(14, "С какой структурой ООН ОБСЕ реализует проект по стрелковому оружию в Беларуси?", [],
      ["ПРООН", "UNDP", "развития ООН"]),
    F(15, "В какие годы в Беларуси был реализован пилотный пакет проектов технической помощи ОБСЕ?", ["2012", "2014"]),
    F(15, "Какие направления включал пилотный пакет проектов ОБСЕ в Беларуси?", [],
      ["насили", "пограничн", "торговл", "экологическ"]),
    F(16, "Когда Минск посетили Генеральный секретарь ОБСЕ и директор БДИПЧ?", ["2015"], ["июн"]),
    F(16, "Какой генсек ОБСЕ приезжал в Минск в июне 2015 года?", [],
      ["Заньер", "Занньер", "Zannier"]),
    F(17, "Сколько стоит проект по утилизации компонентов жидкого ракетного топлива?", [],
      ["1,3", "1.3"]),
    F(17, "На какие годы был одобрен второй пакет проектов прямой технической помощи ОБСЕ?", ["2015", "2017"]),
    F(18, "С кем Макей встретился на Совете министров иностранных дел ОБСЕ в Вене в декабре 2017 года?", [],
      ["Гремингер", "Грёмингер", "Greminger"]),
    F(18, "Когда проходило заседание СМИД ОБСЕ в Вене, на котором глава МИД Беларуси встретился с новым генсеком?", ["2017"],
      ["декабр"]),
    F(19, "Как Беларусь относится к реформированию ОБСЕ?", [], ["реформ"]),
    F(20, "На какой документ ссылается Беларусь, говоря о роли ОБСЕ в урегулировании конфликтов?", [],
      ["Харти"]),
    O("Когда Украина вступила в ОБСЕ?", ["1992"]),
    O("Кто возглавляет офис ОБСЕ в Бишкеке?", ["Дрозд"]),
    O("Когда закрылся офис ОБСЕ в Ереване?", ["2010"]),
    O("Какой годовой бюджет у ОБСЕ?", ["1,3", "1.3"]),
    O("Кто руководит постоянным представительством Беларуси при ОБСЕ?", ["Дрозд", "Макей"]),
    O("Когда Беларусь вступила в Совет Европы?", ["1992"]),
    O("Когда Беларусь вступила в НАТО?", ["1992"]),
    O("Кто был генсеком ОБСЕ в 2021 году?", ["Гремингер", "Грёмингер", "Заньер", "Занньер"]),
    O("Сколько стоил проект ОБСЕ и ПРООН по стрелковому оружию?", ["1,3", "1.3"]),
    O("Когда офис ОБСЕ в Минске снова открылся?", ["2003"]),
    O("Где прошла ежегодная сессия ПА ОБСЕ в 2019 году?", ["2017", "26"]),
    O("Кто был министром обороны Беларуси в 2015 году?", ["Макей"]),
    O("Когда ПА ОБСЕ проводила ежегодную сессию в Киеве?", ["2017"]),
    O("Сколько голосов получила резолюция по психоактивным веществам?", ["57"]),
    O("Кто сейчас председатель Парламентской ассамблеи ОБСЕ?", ["Муттонен"]),
    O("Какая погода в Минске?"),
    O("Посоветуй хороший фильм на вечер"),
    S("Привет!"),
    S("Спасибо большое"),
    S("Что ты умеешь?"),
]

BE = [
    F(1, "Колькі дзяржаў-удзельніц у АБСЕ?", ["57"]),
    F(1, "абсе колькі краін", ["57"]),
    F(1, "Ці ўваходзіць Манголія ў АБСЕ?", ["Манголі"]),
    F(2, "Як у АБСЕ прымаюцца рашэнні?", [], ["кансэнсус", "консенсус"]),
    F(3, "Чаму АБСЕ лічыцца ўнікальнай пляцоўкай для палітычнага дыялогу?", [],
      ["усебаков", "усеабдымн", "усёабдымн", "комплексн", "шырок"]),
    F(4, "З якога часу Беларусь з'яўляецца паўнапраўным членам АБСЕ?", ["1992"],
      ["30 студзеня", "30.01"]),
    F(4, "калі беларусь уступіла ў абсэ", ["1992"]),
    F(4, "Дзе працуе Пастаяннае прадстаўніцтва Рэспублікі Беларусь пры АБСЕ?", ["Вен"]),
    F(4, "У якім годзе было створана Пастаяннае прадстаўніцтва Беларусі пры АБСЕ?", ["1992"]),
    F(5, "Чаму ўдзел у АБСЕ важны для Беларусі?", [],
      ["знешнепалітычн", "дыялог", "экспертн"]),
    F(6, "У рабоце якіх органаў АБСЕ ўдзельнічае Беларусь?", [],
      ["Пастаянн", "Форум", "Кансультатыўн"]),
    F(7, "Хто ўзначальвае офіс АБСЕ ў Ашхабадзе?", ["Дрозд"]),
    F(7, "З якога года Наталля Дрозд кіруе офісам АБСЕ ў Туркменістане?", ["2016"]),
    F(7, "Які офіс АБСЕ ўзначальвае Наталля Дрозд?", ["Ашхабад"]),
    F(7, "Ці працуюць беларусы ў Спецыяльнай маніторынгавай місіі АБСЕ ва Украіне?", ["Украін"]),
    F(8, "У якія гады беларускія парламентарыі ініцыявалі ў ПА АБСЕ рэзалюцыі па барацьбе з гандлем людзьмі?", ["2011", "2014"]),
    F(8, "Ці з'яўляецца дэлегацыя Нацыянальнага сходу членам Парламенцкай асамблеі АБСЕ?", [],
      ["паўнапраўн", "Нацыянальн"]),
    F(9, "Калі ў Мінску прайшла сесія Парламенцкай асамблеі АБСЕ?", ["2017"], ["ліпен"]),
    F(9, "Якая па ліку штогадовая сесія ПА АБСЕ адбылася ў Мінску?", ["26"]),
    F(9, "У якім горадзе прайшла 26-я штогадовая сесія ПА АБСЕ?", ["Мінск"]),
    F(9, "Якія дакладныя даты сесіі ПА АБСЕ ў Мінску?", ["2017"],
      ["5 па 9", "5-9", "5 - 9", "5 да 9", "5 ліпеня"]),
    F(9, "Хто быў дзеючым старшынёй АБСЕ, з якім сустрэўся Лукашэнка ў ліпені 2017 года?", ["Курц"]),
    F(10, "Якую рэзалюцыю беларускай дэлегацыі ПА АБСЕ падтрымала амаль аднагалосна?", [],
      ["псіхаактыўн"]),
    F(11, "З якімі інстытутамі АБСЕ супрацоўнічае Беларусь?", [],
      ["БДІПЧ", "дэмакратычных інстытутаў", "СМІ"]),
    F(12, "Калі ў Беларусі працавала Кансультатыўна-назіральная група АБСЕ?", ["1998", "2002"]),
    F(12, "калі закрылі офіс абсе ў мінску", ["2010"]),
    F(12, "У якім годзе адкрыўся Офіс АБСЕ ў Мінску?", ["2003"]),
    F(13, "Як Беларусь супрацоўнічае з АБСЕ цяпер, калі палявой місіі ў краіне няма?", [],
      ["непасрэдна", "напрамую", "сумесн"]),
    F(14, "З якога года ў Беларусі рэалізуецца сумесны праект АБСЕ і ПРААН па стралковай зброі?", ["2007"]),
    F(14, "На колькіх аб'ектах Міністэрства абароны рэалізуецца праект па стралковай зброі і лёгкіх узбраеннях?", ["15"]),
    F(14, "Якая мэта праекта па стралковай зброі і лёгкіх узбраеннях?", [],
      ["захоўван", "запас"]),
    F(15, "У якія гады ў Беларусі быў рэалізаваны пілотны пакет праектаў тэхнічнай дапамогі АБСЕ?", ["2012", "2014"]),
    F(16, "Калі Мінск наведалі Генеральны сакратар АБСЕ і дырэктар БДІПЧ?", ["2015"], ["чэрвен"]),
    F(16, "З кім сустракаліся высокія прадстаўнікі АБСЕ падчас візіту ў Мінск у 2015 годзе?", [],
      ["прэзідэнт", "міністр"]),
    F(17, "Колькі каштуе праект па ўтылізацыі кампанентаў вадкага ракетнага паліва?", [],
      ["1,3", "1.3"]),
    F(17, "На якія гады быў ухвалены другі пакет праектаў прамой тэхнічнай дапамогі АБСЕ?", ["2015", "2017"]),
    F(18, "Калі Макей сустрэўся з новым Генеральным сакратаром АБСЕ?", ["2017"], ["снеж", "7-8"]),
    F(18, "З кім сустрэўся міністр замежных спраў Беларусі на Савеце міністраў АБСЕ ў снежні 2017 года?", [],
      ["Грэмінгер", "Гремінгер", "Грамінгер", "Greminger"]),
    F(19, "Як Беларусь ставіцца да рэфармавання АБСЕ?", [], ["рэформ"]),
    F(20, "На які дакумент спасылаецца Беларусь, калі гаворыць пра ролю АБСЕ ва ўрэгуляванні канфліктаў?", [],
      ["Харты"]),
    O("Калі ж Украіна ўступіла ў АБСЕ?", ["1992"]),
    O("Хто ўзначальвае офіс АБСЕ ў Бішкеку?", ["Дрозд"]),
    O("Калі зачыніўся офіс АБСЕ ў Ерэване?", ["2010"]),
    O("Які штогадовы бюджэт АБСЕ?", ["1,3", "1.3"]),
    O("Хто кіруе Пастаянным прадстаўніцтвам Беларусі пры АБСЕ?", ["Дрозд", "Макей"]),
    O("Калі Беларусь уступіла ў Савет Еўропы?", ["1992"]),
    O("Калі Беларусь уступіла ў НАТА?", ["1992"]),
    O("Хто быў Генеральным сакратаром АБСЕ ў 2021 годзе?", ["Грэмінгер", "Гремінгер", "Занье"]),
    O("Колькі каштаваў праект АБСЕ і ПРААН па стралковай зброі?", ["1,3", "1.3"]),
    O("Калі Офіс АБСЕ ў Мінску зноў адкрыўся?", ["2003"]),
    O("Дзе прайшла штогадовая сесія ПА АБСЕ ў 2019 годзе?", ["2017"]),
    O("Хто быў міністрам абароны Беларусі ў 2015 годзе?", ["Макей"]),
    O("Колькі галасоў атрымала рэзалюцыя па псіхаактыўных рэчывах?", ["57"]),
    O("Хто цяпер старшыня Парламенцкай асамблеі АБСЕ?",
      ["Муттонен", "Мутанен", "Муттанен", "Мутонен", "Muttonen"]),
    O("Калі Ламберта Заньер наведаў Кіеў?", ["2015"]),
    O("Якое надвор'е сёння ў Мінску?"),
    O("Падкажы рэцэпт дранікаў"),
    S("Прывітанне!"),
    S("Дзякуй вялікі!"),
    S("Што ты ўмееш?"),
]


def t(q, all_=(), any_=()):
    d = {"kind": "fact", "q": q, "all": list(all_)}
    if any_:
        d["any"] = list(any_)
    d["forbid"] = []
    return d


def trap(q, forbid):
    return {"kind": "oos", "q": q, "all": [], "forbid": list(forbid)}


# (id, lang, turns, notes) ; notes: "switch" = has a self-contained topic change, "trap" = has an oos follow-up
DIALOGUES = [
    ("hd01", "en", [
        t("Tell me about the OSCE Office in Minsk.", ["2003"]),
        t("when was it shut down?", ["2010"]),
        t("and what operated there before it?", [], ["Advisory and Monitoring", "AMG"]),
        t("in which years?", ["1998", "2002"]),
    ], ""),
    ("hd02", "en", [
        t("Who heads the OSCE Office in Ashgabat?", ["Drozd"]),
        t("since when?", ["2016"], JUL),
        t("which country is she from?", ["Belarus"]),
    ], ""),
    ("hd03", "en", [
        t("When did the OSCE PA hold its annual session in Minsk?", ["2017"]),
        t("which session number was it?", ["26"]),
        t("How many Ministry of Defence facilities does the SALW project cover?", ["15"]),
    ], "switch"),
    ("hd04", "en", [
        t("When did the OSCE Office in Minsk close?", ["2010"]),
        trap("and the one in Baku?", ["2010", "2003"]),
        t("ok, and when did the Minsk one open?", ["2003"]),
    ], "trap"),
    ("hd05", "en", [
        t("Which OSCE Secretary General visited Minsk in June 2015?", ["Zannier"]),
        t("who came with him?", ["Link"]),
        t("and what was signed on the sidelines of that visit?", [], ["Memorandum", "propellant"]),
        t("how much is that project estimated to cost?", ["1.3"]),
    ], ""),
    ("hd06", "en", [
        t("When did Belarus join the OSCE?", ["1992"], ["January 30", "30 January"]),
        t("and where does its permanent delegation work?", ["Vienna"]),
        t("By the way, how are decisions taken in the OSCE?", ["consensus"]),
    ], "switch"),
    ("hd07", "en", [
        t("Tell me about the OSCE-UNDP small arms project in Belarus", [], ["2007", "15"]),
        t("since when has it been running?", ["2007"]),
        t("how many facilities does it cover?", ["15"]),
    ], ""),
    ("hd08", "en", [
        t("Who did Makei meet at the OSCE Ministerial Council in Vienna?", ["Greminger"]),
        t("when was that?", ["2017"], ["December"]),
        t("what did he say about Belarus?", [], ["contribution", "project cooperation", "joint events"]),
    ], ""),
    ("hd09", "ru", [
        t("Был ли у ОБСЕ офис в Минске?", ["2003"]),
        t("а когда его закрыли?", ["2010"]),
        t("а что работало до него?", [], ["Консультативно-наблюдательн", "КНГ", "1998"]),
    ], ""),
    ("hd10", "ru", [
        t("Кто возглавляет офис ОБСЕ в Ашхабаде?", ["Дрозд"]),
        t("а с какого года?", ["2016"]),
    ], ""),
    ("hd11", "ru", [
        t("Когда в Минске проходила сессия ПА ОБСЕ?", ["2017"]),
        t("а какая она была по счёту?", ["26"]),
        t("кто из руководства ОБСЕ тогда встречался с Лукашенко?", [], ["Муттонен", "Курц"]),
    ], ""),
    ("hd12", "ru", [
        t("С какого года Беларусь в ОБСЕ?", ["1992"]),
        t("а где находится её постпредство?", ["Вен"]),
        t("Сколько стоит проект по утилизации жидкого ракетного топлива?", [], ["1,3", "1.3"]),
    ], "switch"),
    ("hd13", "ru", [
        t("Когда в Беларуси работала Консультативно-наблюдательная группа ОБСЕ?", ["1998", "2002"]),
        trap("а в Молдове?", ["1998", "2002"]),
        t("а офис ОБСЕ в Минске когда открылся?", ["2003"]),
    ], "trap"),
    ("hd14", "ru", [
        t("Расскажи о проекте ОБСЕ и ПРООН по стрелковому оружию", [], ["2007", "15"]),
        t("а с какого года он реализуется?", ["2007"]),
        t("на скольких объектах?", ["15"]),
    ], ""),
    ("hd15", "ru", [
        t("Когда Минск посетил генсек ОБСЕ Заньер?", ["2015"]),
        t("а кто приехал вместе с ним?", [], ["Линк", "Link"]),
        t("а на какие годы тогда одобрили второй пакет проектов?", ["2015", "2017"]),
    ], ""),
    ("hd16", "ru", [
        t("На каком мероприятии Макей встретился с Гремингером?", [], ["Совет", "СМИД"]),
        t("а когда это было?", ["2017"], ["декабр"]),
    ], ""),
    ("hd17", "be", [
        t("Ці быў у АБСЕ офіс у Мінску?", ["2003"]),
        t("а калі яго зачынілі?", ["2010"]),
    ], ""),
    ("hd18", "be", [
        t("Хто ўзначальвае офіс АБСЕ ў Ашхабадзе?", ["Дрозд"]),
        t("а з якога года?", ["2016"]),
    ], ""),
    ("hd19", "be", [
        t("Калі ў Мінску прайшла сесія ПА АБСЕ?", ["2017"]),
        t("а якая яна была па ліку?", ["26"]),
        t("а з кім тады сустрэўся Прэзідэнт Беларусі?", [],
          ["Курц", "Муттонен", "Мутанен", "Муттанен", "Мутонен", "Muttonen", "Kurz"]),
    ], ""),
    ("hd20", "be", [
        t("З якога часу Беларусь з'яўляецца членам АБСЕ?", ["1992"]),
        t("а дзе працуе яе пастаяннае прадстаўніцтва?", ["Вен"]),
        t("На колькіх аб'ектах Міністэрства абароны рэалізуецца праект па стралковай зброі?", ["15"]),
    ], "switch"),
    ("hd21", "be", [
        t("Калі зачыніўся Офіс АБСЕ ў Мінску?", ["2010"]),
        trap("а ў Ерэване?", ["2010", "2003"]),
        t("а калі адкрыўся мінскі офіс?", ["2003"]),
    ], "trap"),
    ("hd22", "be", [
        t("Раскажы пра праект АБСЕ і ПРААН па стралковай зброі", [], ["2007", "15"]),
        t("з якога года ён рэалізуецца?", ["2007"]),
        t("а на колькіх аб'ектах?", ["15"]),
    ], ""),
    ("hd23", "be", [
        t("Калі Мінск наведаў Генеральны сакратар АБСЕ Заньер?", ["2015"]),
        t("а колькі каштуе праект па ўтылізацыі ракетнага паліва, мемарандум пра які тады падпісалі?", [], ["1,3", "1.3"]),
        t("а на якія гады тады ўхвалілі другі пакет праектаў?", ["2015", "2017"]),
    ], ""),
    ("hd24", "be", [
        t("Калі ў Беларусі рэалізоўваўся пілотны пакет праектаў тэхнічнай дапамогі АБСЕ?", ["2012", "2014"]),
        t("а другі пакет?", ["2015", "2017"]),
    ], ""),
]


def item(prefix, n, lang, row):
    kind, _p, q, all_, any_, forbid = row
    d = {"id": f"{prefix}{n:03d}", "lang": lang, "kind": kind, "q": q, "all": all_}
    if any_:
        d["any"] = any_
    d["forbid"] = forbid
    return d


def fold(s):
    s = s.replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", s).lower()


def main():
    paras = [l.strip() for l in open(SRC, encoding="utf-8").read().splitlines()[1:] if l.strip()]
    assert len(paras) == 20, len(paras)
    src_en = fold(" ".join(paras))
    ok = True
    # English expected strings for fact items must occur in the cited paragraph
    # (or, for spelling-neutral stems, in the source at all).
    for kind, p, q, all_, any_, _ in EN:
        if kind != "fact":
            continue
        para = fold(paras[p - 1])
        for s in all_:
            if fold(s) not in para:
                print(f"WARN en all {s!r} not in paragraph {p}: {q}")
        if any_ and not any(fold(s) in para for s in any_):
            print(f"WARN en any {any_!r} none in paragraph {p}: {q}")
    for name, rows in (("en", EN), ("ru", RU), ("be", BE)):
        covered = sorted({r[1] for r in rows if r[0] == "fact"})
        missing = [p for p in range(1, 21) if p not in covered]
        print(name, "paragraphs not covered:", missing)
    out = {
        "questions_en.jsonl": [item("hen", i + 1, "en", r) for i, r in enumerate(EN)],
        "questions_ru.jsonl": [item("hru", i + 1, "ru", r) for i, r in enumerate(RU)],
        "questions_be.jsonl": [item("hbe", i + 1, "be", r) for i, r in enumerate(BE)],
        "dialogues.jsonl": [{"id": i, "lang": l, "turns": ts} for i, l, ts, _ in DIALOGUES],
    }
    for fn, rows in out.items():
        with open(os.path.join(HERE, fn), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for fn, rows in out.items():
        if fn == "dialogues.jsonl":
            from collections import Counter
            c = Counter(d["lang"] for d in rows)
            kinds = Counter(t["kind"] for d in rows for t in d["turns"])
            nturns = sum(len(d["turns"]) for d in rows)
            print(fn, len(rows), dict(c), "turns", nturns, dict(kinds),
                  "switch", sum(1 for x in DIALOGUES if x[3] == "switch"),
                  "trap", sum(1 for x in DIALOGUES if x[3] == "trap"))
        else:
            from collections import Counter
            print(fn, len(rows), dict(Counter(r["kind"] for r in rows)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
