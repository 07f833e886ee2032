// The domain rules a request may break (answered 422 rule_violated, the code clients see), by name.
// A rule refusal without a name carries its own pair (params en and id); new refusals take a name.
// Each part of the domain keeps its rules in a file of its own, named by the rules' prefix:
//   rules-inspections.ts    inspection_, evidence_, action_, addendum_
//   rules-organisations.ts  account_, organisation_, facility_, mou_, inmate_, scorecard_
//   rules-urine.ts          urine_
//   rules-training.ts       training_
//   rules-rehab.ts          rehab_
//   rules-p4gn.ts           campaign_, meeting_, kotan_
//   rules-webhooks.ts       webhook_
import { inspectionRules } from './rules-inspections.ts';
import { organisationRules } from './rules-organisations.ts';
import { p4gnRules } from './rules-p4gn.ts';
import { rehabRules } from './rules-rehab.ts';
import { trainingRules } from './rules-training.ts';
import { urineRules } from './rules-urine.ts';
import { webhookRules } from './rules-webhooks.ts';
import { filledIn, type Locale, type Localized, type Params, type Sentence } from './text.ts';

const parts = [inspectionRules, organisationRules, urineRules, trainingRules, rehabRules, p4gnRules, webhookRules];
export const rules = {
  ...inspectionRules,
  ...organisationRules,
  ...urineRules,
  ...trainingRules,
  ...rehabRules,
  ...p4gnRules,
  ...webhookRules,
};
export type RuleName = keyof typeof rules;
// A name in two parts would keep only the last part's sentence: refuse to start instead.
if (Object.keys(rules).length !== parts.reduce((n, part) => n + Object.keys(part).length, 0)) {
  throw new Error('a rule name is in two parts of the catalogue');
}

/** rule_violated's detail: the named rule's sentence, or the pair the refusal carries. */
export function ruleText(p: Params, locale: Locale): string {
  const rule = typeof p.rule === 'string' ? (rules as Record<string, Sentence>)[p.rule] : undefined;
  return rule ? rule[locale](p) : String(p[locale]);
}

/** A named rule's sentence in both languages, for a field error beside the problem's detail. */
export const ruleSentence = (rule: RuleName, p: Params = {}): Localized => filledIn(rules[rule], p);
