// Why an edit package is refused: a stable code (the UI says `errors.<code>` from its locale files,
// naming the file inside the package) and the specific sentence in both languages, kept behind 详情.
import { OneMapError, type OneMapErrorData } from '../errors';
import type { LocalizedText } from '../model';

/** Every code, at run time (the UI checks that its locale files say each one). */
export const editPackageErrorCodes = ['not-a-package', 'truncated', 'damaged', 'newer-format', 'checksum-mismatch', 'invalid-content', 'unknown-layer'] as const;

export type EditPackageErrorCode = (typeof editPackageErrorCodes)[number];

export type EditPackageErrorDetails = {
  /** The file inside the package the problem is in. */
  file?: string;
  /** The package's format version (newer-format). */
  formatVersion?: number;
  /** The newest format version this OneMap reads. */
  supportedVersion?: number;
  /** What exactly is wrong (English, for logs and tests). */
  reason?: string;
  layerId?: string;
};

const describe = (details: EditPackageErrorDetails): { zh: string; en: string } => ({
  zh: details.file === undefined ? '' : `（${details.file}）`,
  en: details.file === undefined ? '' : ` (${details.file})`,
});

export function editPackageMessage(code: EditPackageErrorCode, details: EditPackageErrorDetails): LocalizedText {
  const where = describe(details);
  switch (code) {
    case 'not-a-package':
      return { zh: '这不是 OneMap 编辑包（.onemap），未做任何更改。', en: 'This is not a OneMap edit package (.onemap): nothing was changed.' };
    case 'truncated':
      return {
        zh: '编辑包不完整（文件被截断，可能复制或传输未完成），未做任何更改。请重新复制该文件。',
        en: 'The edit package is incomplete (the file is cut short — an unfinished copy or transfer?): nothing was changed. Copy the file again.',
      };
    case 'damaged':
      return { zh: `编辑包已损坏，无法读取${where.zh}，未做任何更改。`, en: `The edit package is damaged and cannot be read${where.en}: nothing was changed.` };
    case 'newer-format':
      return {
        zh: `该编辑包由更新版本的 OneMap 生成（格式 ${details.formatVersion ?? '?'}，本程序支持到 ${details.supportedVersion ?? '?'}），未做任何更改。请先升级 OneMap。`,
        en: `The edit package was made by a newer OneMap (format ${details.formatVersion ?? '?'}; this one reads up to ${details.supportedVersion ?? '?'}): nothing was changed. Update OneMap first.`,
      };
    case 'checksum-mismatch':
      return {
        zh: `编辑包内容与其校验和不符${where.zh}：文件在生成后被改动或损坏，未做任何更改。`,
        en: `The edit package's content does not match its checksum${where.en}: it was altered or corrupted after it was made; nothing was changed.`,
      };
    case 'invalid-content':
      return { zh: `编辑包中的数据无效${where.zh}，未做任何更改。`, en: `The edit package holds invalid data${where.en}: nothing was changed.` };
    case 'unknown-layer':
      return {
        zh: `编辑包涉及本机没有的图层“${details.layerId ?? ''}”，未做任何更改。`,
        en: `The edit package touches the layer "${details.layerId ?? ''}", which this workspace does not have: nothing was changed.`,
      };
  }
}

/** An edit package was refused before anything was written. */
export class EditPackageError extends OneMapError {
  override name = 'EditPackageError';
  declare readonly code: EditPackageErrorCode;
  declare readonly details: EditPackageErrorDetails;
  /** The specific sentence (shown behind 详情; the UI's sentence is `errors.<code>`). */
  readonly messages: LocalizedText;

  constructor(code: EditPackageErrorCode, details: EditPackageErrorDetails = {}) {
    super(code, details);
    this.message = `edit package refused (${code})${details.file === undefined ? '' : ` in ${details.file}`}${details.reason === undefined ? '' : `: ${details.reason}`}`;
    this.messages = editPackageMessage(code, details);
  }

  override toData(): OneMapErrorData {
    const { reason, ...named } = this.details;
    return { code: this.code, details: { ...named, zh: this.messages.zh, en: this.messages.en, technical: reason } };
  }
}
