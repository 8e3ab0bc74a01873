import { expect, test } from './fixtures';
import { runJourney } from './journey';

test('journey in 简体中文：从“分派客服工单”到导出一个达标的模型', async ({ app, home }) => {
  test.setTimeout(240_000);
  await runJourney(app, home, {
    locale: 'zh-CN',
    sampleId: 'support-tickets-zh',
    goal: '把每张新的客服工单在一分钟内分给正确的处理组，让客户更快得到答复。',
    use: '工单直接进入该组的队列；如果分错了，客服可以手动转走。',
    focus: '账单',
    sheetTarget: '“账单”的召回率至少 0.9',
  });
  await expect(app.errorBanner).toHaveCount(0);
});
