// The few browser globals the tests touch inside page.evaluate callbacks, typed here because the Node
// build has no DOM library. Callbacks reach them as `(globalThis as unknown as PageWindow)`.

export interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  dispatchEvent(event: unknown): boolean;
}

export interface PageWindow {
  readonly document: {
    readonly activeElement: PageElement | null;
    readonly body: PageElement;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  };
  readonly DataTransfer: new () => { readonly items: { add(file: unknown): unknown } };
  readonly File: new (parts: unknown[], name: string) => unknown;
  readonly DragEvent: new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
  readonly __pwned?: unknown;
  __assayDeliver(channel: string, payload: unknown): void;
}
