/**
 * Slack's published limits that the Slack stand-in applies, in one place.
 * response_url: "You can use a response_url up to five times within 30 minutes"
 * (api.slack.com, "Handling user interaction" / slash commands); Slack answers
 * a later use with HTTP 404 and used_url / expired_url.
 */
export const SLACK_LIMITS = {
  responseUrlUses: 5,
  responseUrlTtlMs: 30 * 60_000,
} as const;

/**
 * Block Kit limits (api.slack.com/reference/block-kit): what Slack refuses
 * with invalid_blocks (messages, response_url posts) or invalid_arguments (views).
 */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionValue: 150,
  viewTitle: 24,
  /** A modal's submit and close buttons (docs.slack.dev/reference/views/modal-views: 24 characters). */
  viewButtonText: 24,
  /** An input block's label and hint (docs.slack.dev/reference/block-kit/blocks/input-block: 2000 characters). */
  inputLabel: 2000,
  inputHint: 2000,
  /** file_input: max_files 1 to 10 (docs.slack.dev/reference/block-kit/block-elements/file-input-element). */
  fileInputMaxFiles: 10,
  privateMetadata: 3000,
  /** chat.postMessage's text: Slack truncates past 40,000; we keep to the documented 4,000 for readability checks. */
  messageText: 40_000,
} as const;

type Json = Record<string, any>;
const B = BLOCK_KIT_LIMITS;
const len = (v: unknown) => (typeof v === "string" ? [...v].length : 0);

function elementProblem(e: Json, where: string): string | null {
  if (len(e.action_id) > B.actionId) return `${where}.action_id is longer than ${B.actionId}`;
  if (e.type === "button") {
    if (len(e.text?.text) > B.buttonText) return `${where}.text is longer than ${B.buttonText}`;
    if (len(e.value) > B.buttonValue) return `${where}.value is longer than ${B.buttonValue}`;
  }
  for (const o of Array.isArray(e.options) ? (e.options as Json[]) : []) {
    if (len(o.text?.text) > B.optionText) return `${where} has an option text longer than ${B.optionText}`;
    if (len(o.value) > B.optionValue) return `${where} has an option value longer than ${B.optionValue}`;
  }
  return null;
}

/** Every element of a block, wherever it sits (elements, accessory, an input block's element). */
const elementsOf = (b: Json): Json[] => [...(Array.isArray(b.elements) ? b.elements : []), ...(b.accessory ? [b.accessory] : []), ...(b.element ? [b.element] : [])];

/** Does this view hold a file_input anywhere? */
export function hasFileInput(view: Json | undefined): boolean {
  return Array.isArray(view?.blocks) && (view!.blocks as Json[]).some((b) => elementsOf(b).some((e) => e?.type === "file_input"));
}

/**
 * A file_input is allowed only as the element of an input block in a modal
 * ("The file input element must be used inside the input block"), with
 * max_files from 1 to 10 and filetypes a list of extensions.
 */
function fileInputProblem(b: Json, where: string, inModal: boolean): string | null {
  for (const e of elementsOf(b)) {
    if (e?.type !== "file_input") continue;
    if (b.type !== "input" || b.element !== e) return `${where} holds a file_input outside an input block`;
    if (!inModal) return `${where} holds a file_input outside a modal`;
    if (e.max_files !== undefined && (!Number.isInteger(e.max_files) || e.max_files < 1 || e.max_files > B.fileInputMaxFiles)) return `${where}.element.max_files must be 1 to ${B.fileInputMaxFiles}`;
    if (e.filetypes !== undefined && (!Array.isArray(e.filetypes) || e.filetypes.some((t: unknown) => typeof t !== "string" || !/^[a-z0-9]+$/i.test(t)))) return `${where}.element.filetypes must be a list of file extensions`;
  }
  return null;
}

/** Why Slack would refuse these blocks, or null; `inModal`: they are a modal's (file_input allowed). */
export function blocksProblem(blocks: unknown, max: number = B.blocksPerMessage, inModal = false): string | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return "blocks is not a list";
  if (blocks.length > max) return `more than ${max} blocks`;
  for (const [i, b] of (blocks as Json[]).entries()) {
    const where = `blocks[${i}]`;
    const files = fileInputProblem(b, where, inModal);
    if (files) return files;
    if (b.type === "input" && (typeof b.label?.text !== "string" || len(b.label.text) === 0)) return `${where} is an input block without a label`;
    if (b.type === "input" && len(b.label?.text) > B.inputLabel) return `${where}.label is longer than ${B.inputLabel}`;
    if (b.type === "input" && len(b.hint?.text) > B.inputHint) return `${where}.hint is longer than ${B.inputHint}`;
    if (len(b.block_id) > B.blockId) return `${where}.block_id is longer than ${B.blockId}`;
    if (b.type === "section" && len(b.text?.text) > B.sectionText) return `${where}.text is longer than ${B.sectionText}`;
    if (b.type === "section" && Array.isArray(b.fields) && b.fields.some((f: Json) => len(f.text) > 2000)) return `${where} has a field longer than 2000`;
    if (b.type === "header" && len(b.text?.text) > B.headerText) return `${where}.text is longer than ${B.headerText}`;
    if (b.type === "context" && (b.elements?.length ?? 0) > B.contextElements) return `${where} has more than ${B.contextElements} elements`;
    if (b.type === "actions" && (b.elements?.length ?? 0) > B.actionsElements) return `${where} has more than ${B.actionsElements} elements`;
    for (const [k, e] of elementsOf(b).entries()) {
      const p = elementProblem(e as Json, `${where}.elements[${k}]`);
      if (p) return p;
    }
  }
  return null;
}

/** Why Slack would refuse this view (views.open / views.publish), or null. */
export function viewProblem(view: Json | undefined): string | null {
  if (!view) return "no view";
  if (len(view.title?.text) > B.viewTitle) return `title is longer than ${B.viewTitle}`;
  if (len(view.private_metadata) > B.privateMetadata) return `private_metadata is longer than ${B.privateMetadata}`;
  if (len(view.submit?.text) > B.viewButtonText) return `submit is longer than ${B.viewButtonText}`;
  if (len(view.close?.text) > B.viewButtonText) return `close is longer than ${B.viewButtonText}`;
  const modal = view.type === "modal";
  // "submit ... Required if an input block is included" (a modal's fields).
  if (modal && Array.isArray(view.blocks) && (view.blocks as Json[]).some((b) => b.type === "input") && !view.submit) return "a modal with input blocks needs a submit button";
  return blocksProblem(view.blocks, B.blocksPerView, modal);
}

/**
 * File uploads (files.getUploadURLExternal / files.completeUploadExternal,
 * docs.slack.dev/reference/methods/...): alt text over 1000 characters is
 * alt_txt_too_large; a snippet is "limited to 1MB" (snippet_too_large); a
 * length of 0 is missing_argument. Slack publishes no cap on the files in one
 * completeUploadExternal; it answers internal_error past 14
 * (slackapi/python-slack-sdk#1653, reproduced with 14 vs 15).
 */
export const FILE_UPLOAD_LIMITS = {
  altText: 1000,
  snippetBytes: 1_000_000,
  filesPerComplete: 14,
} as const;
