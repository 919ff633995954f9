/**
 * Saves bytes as a file through the browser's download (an <a download> on a Blob URL). Electron
 * handles the same download with its own save dialog; the web shell saves to the download folder.
 */
export function saveDownload(fileName: string, bytes: Uint8Array | Blob, type: string): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
