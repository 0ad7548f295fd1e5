/**
 * Labels for answer controls (buttons, menu options, checkboxes). A control
 * that cuts its option with "…" while the others fit would point at the long,
 * qualified option, which is often the key. So: when every option fits its
 * control uncut, the controls carry the option texts; when any would be cut,
 * every control carries only the option's number and the message lists the
 * texts in full.
 */

export interface ChoiceLabelOptions {
  /** The platform's limit for one control's text, in characters. */
  max: number;
  /** "1. text" rather than "text" when the texts fit (single choice; not True/False). */
  numbered: boolean;
  /** The label when only the number is shown: "1" on a button, "Choice 1" in a menu or checkbox list. */
  numberOnly: (n: number) => string;
}

const length = (s: string) => Array.from(s).length;

export function choiceLabels(texts: readonly string[], o: ChoiceLabelOptions): string[] {
  const full = texts.map((t, i) => (o.numbered ? `${i + 1}. ${t}` : t));
  if (full.every((t) => length(t) <= o.max)) return full;
  return texts.map((_, i) => o.numberOnly(i + 1));
}
