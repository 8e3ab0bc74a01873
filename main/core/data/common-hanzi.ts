/**
 * Frequent Chinese characters, simplified and traditional forms together. Decoding legacy bytes
 * with the wrong table (GBK read as Big5 or the reverse) gives valid but rare characters, so the
 * share of decoded characters found here tells the right table from the wrong one.
 */
const SHARED =
  '的一是不了人我在有他中大来上个到说为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切府考细苦买卖客户质态度递评差价格意推荐错常欢望退货味道吗啊吧哦呀太棒赞垃圾慢贵便宜送包装尺码颜色舒服漂亮值得购';

const TRADITIONAL =
  '們個來說這國時會為學對裡後麼發過還經從動兩長現樣將當點種無開實見問機給幾業間與話兒進頭聽氣車東門應處書體別總邊師電報變條區讓認戰歡謝買賣貨評價滿質務態遞產錢黨傳遠資隊帶決爭強單據導網專飛觀讀誰愛聯議語線關員雖壞興歲號親覺記許設試請識聲氣萬與愛從這裡還沒嗎啊吧棒讚垃圾慢貴便宜送包裝尺碼顏色舒服漂亮值得購糟糕爛';

export const COMMON_HANZI: ReadonlySet<string> = new Set([...SHARED, ...TRADITIONAL]);

/** True for a CJK Unified Ideograph (the basic block and extension A). */
export function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);
}
