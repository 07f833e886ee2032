// The catalogue of every sentence a client may be shown: problem titles and details, rule refusals
// and field errors, each in English and Indonesian (Indonesian with the glossary's words, DOMAIN.md).
// One catalogue, imported from here; its parts are in messages/:
//   problems.ts     problem titles and details, by problem code
//   reasons.ts      why a request conflicts with a record, a file or body cannot be read, a token is refused
//   rules.ts        the domain rules by name, each part of the domain in its rules-<part>.ts
//   fields.ts       field errors of our own refinements and checks
//   zod-id.ts       zod's own issues, in Indonesian
//   glossary.ts     the Indonesian words for records and statuses the English names by code
//   text.ts         the shapes every part is written in
// A code is stable: clients may rely on it. Texts may change; codes may not.
export { type FieldTextCode, fieldSentence, fieldTexts } from './messages/fields.ts';
export { ENTITIES, type Entity } from './messages/glossary.ts';
export { messages, type ProblemCode } from './messages/problems.ts';
export { reasonOf, reasons } from './messages/reasons.ts';
export { type RuleName, ruleSentence, rules } from './messages/rules.ts';
export { inLocale, type Locale, type Localized } from './messages/text.ts';
export { type IssueFields, zodIssuesId } from './messages/zod-id.ts';
