// Saving a file from the page, and the names the files get.

export function downloadBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  // The click has started the download; the URL can go once the event loop has handed it over.
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}

/** A file name's part from a title: "Validation IoU" → "validation-iou". */
export const slugOf = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
