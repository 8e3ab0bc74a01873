/**
 * Makes the sample data sets in resources/samples/ from word lists and sentence templates written
 * for ModelPilot (nothing is downloaded): support tickets in English and Chinese (route to a team),
 * short product reviews in English and Chinese (positive / negative) and a customer table (churn).
 * A seeded generator makes the files identical on every run. A few flaws are planted on purpose
 * (repeated rows, blank messages) so the Data step has something to find and fix, and a small share
 * of vague messages caps the reachable accuracy below 100%, as in real data.
 * Run: npx tsx scripts/make-samples.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../main/core/data/prng';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'samples');
let rng = createRng(1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const chance = (p: number) => rng() < p;
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const fill = (template: string, slots: Record<string, readonly string[]>) => template.replace(/\{(\w+)\}/g, (_, name: string) => pick(slots[name]));
const csvCell = (value: string | number) => (typeof value === 'number' || !/[",\n\r]/.test(value) ? String(value) : `"${value.replaceAll('"', '""')}"`);

function write(name: string, header: string[], rows: (string | number)[][]): number {
  writeFileSync(join(out, name), [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n');
  console.log(`${name}: ${rows.length} rows`);
  return rows.length;
}

/** Plants `duplicates` exact repeats of earlier rows and blanks `blanks` cells of column `blankColumn`. */
function plantFlaws(rows: (string | number)[][], duplicates: number, blanks: number, blankColumn: number): (string | number)[][] {
  const result = rows.map((r) => [...r]);
  for (let i = 0; i < blanks; i++) result[int(0, result.length - 1)][blankColumn] = '';
  for (let i = 0; i < duplicates; i++) result.splice(int(1, result.length - 1), 0, [...result[int(0, result.length - 1)]]);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Support tickets (English): which team should answer?

const EN_SLOTS = {
  order: ['#48213', '#50977', '#61230', '#39914', '#72105', '#55038', 'A-1182', 'A-2290'],
  product: ['the wireless router', 'my smart thermostat', 'the mobile app', 'the desktop app', 'the printer', 'my account dashboard', 'the camera', 'the headset'],
  item: ['the router', 'the printer', 'the camera', 'the headset', 'the thermostat', 'the charger'],
  amount: ['$12.99', '$49', '$120', '$8.50', '$230', '$19.99', '$75'],
  day: ['yesterday', 'last week', 'on Monday', 'two days ago', 'this morning', 'three weeks ago'],
  courier: ['the courier', 'the delivery driver', 'the post office', 'the parcel service'],
  hi: ['Hi!', 'Hello!', 'Good morning!', 'Hi there!', 'Hey team!', ''],
  bye: ['Thanks.', 'Please help.', 'Thank you!', 'Regards, Sam', 'Any update would be great.', 'Cheers', ''],
};
const EN_TEAMS: Record<string, string[]> = {
  billing: [
    'I was charged twice for order {order} {day}.',
    'My invoice shows {amount} but I expected a lower price.',
    'Please refund the {amount} charge on my credit card.',
    'Why did my subscription renew {day}? I cancelled it.',
    'The payment failed but the money left my bank account.',
    'Can I get a copy of my invoice for {order}?',
    'I want to change my billing address and payment method.',
    'There is an unknown charge of {amount} on my statement.',
    'The discount code was not applied to my bill.',
    'How do I get a VAT receipt for my purchase?',
  ],
  technical: [
    '{product} keeps crashing when I open it.',
    '{product} will not connect to wifi since the update.',
    'I get an error message every time I start {product}.',
    '{product} is very slow and freezes every few minutes.',
    'After the latest update {product} shows a blank screen.',
    'The sync between {product} and my phone stopped working {day}.',
    '{product} does not turn on anymore, the light just blinks.',
    'How do I reset {product} to factory settings?',
    'The firmware update for {product} failed halfway.',
    'Bluetooth pairing with {product} fails every time.',
  ],
  shipping: [
    'My order {order} has not arrived yet.',
    'The tracking for {order} has not moved since {day}.',
    '{courier} left my parcel at the wrong address.',
    'The box arrived damaged and {item} is scratched.',
    'Can I change the delivery address for order {order}?',
    'I received the wrong item in my package {day}.',
    'When will order {order} be shipped?',
    'The parcel was marked delivered but I never got it.',
    'One item is missing from my delivery {order}.',
    'Can I pick up my order at a store instead of delivery?',
  ],
  account: [
    'I cannot log in, the password reset email never comes.',
    'Please delete my account and all my data.',
    'How do I change the email address on my account?',
    'My account was locked after too many login attempts.',
    'I think someone else logged into my account {day}.',
    'Two-factor authentication codes are not accepted.',
    'I want to merge my two accounts into one.',
    'How can I change my username?',
    'I no longer have access to the phone number on my account.',
    'Please update my profile name, it is spelled wrong.',
  ],
};
const EN_VAGUE = ['I need help with my account and my order, please call me.', 'Something is wrong, please contact me as soon as possible.', 'This is my third message, nobody answers!', 'Can someone help me? It does not work.'];

function supportTickets(teams: Record<string, string[]>, slots: Record<string, readonly string[]>, vague: string[], count: number, join: (parts: string[]) => string, idPrefix: string) {
  const names = Object.keys(teams);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < count; i++) {
    const team = names[i % names.length];
    const body = chance(0.05) ? pick(vague) : fill(pick(teams[team]), slots);
    const extra = chance(0.3) ? fill(pick(teams[team]), slots) : '';
    const text = join([fill('{hi}', slots), body, extra, fill('{bye}', slots)]);
    // Capital letters where sentences start ("Hi! The router…"); Chinese has none, so it is unchanged.
    rows.push([`${idPrefix}${10000 + i}`, text.replace(/(^|[.!?]\s+)([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase()), team]);
  }
  return rows;
}

rng = createRng(20250701);
mkdirSync(out, { recursive: true });
const ticketsEn = supportTickets(EN_TEAMS, EN_SLOTS, EN_VAGUE, 2000, (parts) => parts.filter(Boolean).join(' '), 'T-');
write('support-tickets-en.csv', ['ticket_id', 'message', 'team'], plantFlaws(ticketsEn, 12, 6, 1));

// ---------------------------------------------------------------------------------------------
// 客服工单（中文）：该由哪个组处理？

const ZH_SLOTS = {
  order: ['48213', '50977', '61230', '39914', '72105', '55038'],
  product: ['无线路由器', '智能温控器', '手机应用', '电脑客户端', '打印机', '会员后台', '摄像头', '蓝牙耳机'],
  amount: ['12.9 元', '49 元', '120 元', '8.5 元', '230 元', '19.9 元', '75 元'],
  day: ['昨天', '上周', '周一', '前天', '今天早上', '三周前'],
  courier: ['快递员', '配送员', '驿站', '物流公司'],
  hi: ['你好，', '您好，', '客服你好，', '在吗？', ''],
  bye: ['谢谢。', '麻烦尽快处理。', '谢谢！', '等你们回复。', '辛苦了。', ''],
};
const ZH_TEAMS: Record<string, string[]> = {
  账单: [
    '订单{order}被重复扣款了，{day}扣了两次。',
    '发票上的金额是{amount}，比我预期的贵。',
    '请把信用卡上{amount}的扣款退给我。',
    '我已经取消了会员，为什么{day}又自动续费了？',
    '支付显示失败，但是银行卡的钱已经扣了。',
    '能给我开一张订单{order}的发票吗？',
    '我想修改账单地址和付款方式。',
    '账单里有一笔{amount}的不明扣费。',
    '优惠券没有抵扣，账单金额不对。',
    '怎么申请增值税专用发票？',
  ],
  技术: [
    '{product}一打开就闪退。',
    '更新以后{product}连不上无线网络了。',
    '启动{product}时提示错误代码，无法使用。',
    '{product}非常卡，每隔几分钟就死机。',
    '最新版本更新后{product}一直白屏。',
    '{product}和手机的同步{day}开始失效了。',
    '{product}开不了机，指示灯一直在闪。',
    '{product}怎么恢复出厂设置？',
    '{product}固件升级到一半失败了。',
    '{product}的蓝牙每次配对都失败。',
  ],
  物流: [
    '订单{order}到现在还没收到货。',
    '订单{order}的物流信息从{day}就没更新过。',
    '{courier}把包裹送到了错误的地址。',
    '收到的箱子是破的，{product}也被刮花了。',
    '订单{order}能改一下收货地址吗？',
    '{day}收到的包裹里发错货了。',
    '订单{order}什么时候发货？',
    '显示已签收，但是我根本没收到包裹。',
    '订单{order}少发了一件商品。',
    '可以改成到门店自提吗？',
  ],
  账户: [
    '登录不了，重置密码的邮件一直收不到。',
    '请注销我的账户并删除我的所有数据。',
    '怎么修改账户绑定的邮箱？',
    '登录失败次数太多，账户被锁定了。',
    '我怀疑{day}有人登录了我的账户。',
    '两步验证的验证码总是提示错误。',
    '我想把两个账户合并成一个。',
    '用户名可以修改吗？',
    '账户绑定的手机号我已经不用了，怎么换？',
    '我的个人资料里名字写错了，请帮忙改一下。',
  ],
};
const ZH_VAGUE = ['我的账户和订单都有问题，请给我回电话。', '出问题了，请尽快联系我。', '这是我第三次留言了，怎么没人回复！', '有人能帮帮我吗？用不了。'];

rng = createRng(20250702);
const ticketsZh = supportTickets(ZH_TEAMS, ZH_SLOTS, ZH_VAGUE, 2000, (parts) => parts.filter(Boolean).join(''), 'G');
write('support-tickets-zh.csv', ['工单编号', '内容', '处理组'], plantFlaws(ticketsZh, 12, 6, 1));

// ---------------------------------------------------------------------------------------------
// Short product reviews (English): positive or negative.

const EN_REVIEW = {
  thing: ['the headphones', 'this kettle', 'the phone case', 'my new lamp', 'the backpack', 'this charger', 'the desk chair', 'the blender', 'this pair of shoes', 'the keyboard', 'the coffee maker', 'this jacket'],
  when: ['after two weeks', 'for the price', 'overall', 'as a gift', 'so far', 'in daily use', 'out of the box', 'honestly'],
  good: ['great', 'excellent', 'really comfortable', 'works perfectly', 'sturdy', 'beautiful', 'good value', 'easy to use', 'quiet', 'well made'],
  bad: ['broken', 'terrible', 'a waste of money', 'flimsy', 'noisy', 'uncomfortable', 'poorly made', 'hard to use', 'cheap looking', 'useless'],
};
const EN_POS = ['{thing} is {good}, {when}.', '{when}, {thing} is {good} and {good}.', 'Love it! {thing} is {good}.', 'Would buy again, {thing} is {good}.', 'Five stars: {good} and {good}.', '{thing} arrived fast and is {good}.'];
const EN_NEG = ['{thing} is {bad}, {when}.', '{when}, {thing} is {bad} and {bad}.', 'Returned it. {thing} is {bad}.', 'Do not buy, {thing} is {bad}.', 'One star: {bad} and {bad}.', '{thing} stopped working and is {bad}.'];

rng = createRng(20250703);
write(
  'sentiment-en.csv',
  ['review', 'sentiment'],
  Array.from({ length: 400 }, (_, i) => {
    const positive = i % 2 === 0;
    const text = fill(pick(positive ? EN_POS : EN_NEG), EN_REVIEW);
    // Capital letters where sentences start ("Love it! This kettle…").
    return [text.replace(/(^|[.!]\s+)([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase()), positive ? 'positive' : 'negative'];
  }),
);

// ---------------------------------------------------------------------------------------------
// 商品短评（中文）：正面还是负面。

const ZH_REVIEW = {
  thing: ['耳机', '电水壶', '手机壳', '台灯', '背包', '充电器', '办公椅', '榨汁机', '鞋子', '键盘', '咖啡机', '外套'],
  when: ['用了两周', '这个价位', '总体来说', '送人的', '目前为止', '日常使用', '刚拿到手'],
  good: ['质量很好', '非常舒服', '很好用', '做工精细', '颜值很高', '性价比高', '声音很小', '物超所值', '很结实', '发货很快'],
  bad: ['质量太差', '很不舒服', '不好用', '做工粗糙', '声音很吵', '完全是浪费钱', '用两天就坏了', '和描述不符', '很廉价', '味道很大'],
};
const ZH_POS = ['{when}，{thing}{good}。', '{thing}{good}，而且{good}。', '很满意！{thing}{good}。', '会回购，{thing}{good}。', '五星好评：{good}，{good}。'];
const ZH_NEG = ['{when}，{thing}{bad}。', '{thing}{bad}，而且{bad}。', '已退货，{thing}{bad}。', '别买，{thing}{bad}。', '差评：{bad}，{bad}。'];

rng = createRng(20250704);
write(
  'sentiment-zh.csv',
  ['评论', '情感'],
  Array.from({ length: 400 }, (_, i) => {
    const positive = i % 2 === 0;
    return [fill(pick(positive ? ZH_POS : ZH_NEG), ZH_REVIEW), positive ? '正面' : '负面'];
  }),
);

// ---------------------------------------------------------------------------------------------
// Customer churn (a table): who cancels? The odds follow from the columns, with noise.

rng = createRng(20250705);
const churnRows: (string | number)[][] = [];
for (let i = 0; i < 800; i++) {
  const tenure = int(1, 72);
  const plan = pick(['basic', 'standard', 'premium']);
  const contract = chance(0.55) ? 'monthly' : 'yearly';
  const fee = Math.round((plan === 'basic' ? 19 : plan === 'standard' ? 39 : 69) + rng() * 15);
  const calls = Math.floor(rng() ** 2 * 8);
  const late = Math.floor(rng() ** 3 * 5);
  const logit = -0.5 - tenure / 20 + calls * 0.55 + late * 0.6 + (contract === 'monthly' ? 1.2 : -0.8) + (plan === 'premium' ? -0.4 : 0);
  const churned = rng() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no';
  churnRows.push([`C${5000 + i}`, tenure, fee, calls, late, plan, contract, churned]);
}
write('churn.csv', ['customer_id', 'tenure_months', 'monthly_fee', 'support_calls', 'late_payments', 'plan', 'contract', 'churned'], plantFlaws(churnRows, 6, 0, 1));
