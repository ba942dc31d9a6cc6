/**
 * A `tslab`-compatible object, so notebooks written for tslab run unchanged:
 * `tslab.display.html(...)`, `.markdown`, `.latex`, `.svg`, `.png`, `.jpeg`, `.gif`, `.pdf`,
 * `.text`, `.javascript`, `.raw(contentType, data)`, and `tslab.newDisplay()`.
 */
import { bundles } from "./display.js";
import { newDisplayId } from "./display-id.js";
import { getDisplaySink, type MimeBundle } from "./sink.js";

/** tslab's `Display` interface. */
export interface TslabDisplay {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

function makeDisplay(id?: string): TslabDisplay {
  let shown = false;
  const send = (bundle: MimeBundle) => {
    const sink = getDisplaySink();
    if (!sink) {
      console.log(bundle["text/plain"]);
      return;
    }
    if (id && shown) sink.update(id, bundle, {});
    else sink.display(bundle, {}, id);
    shown = true;
  };
  return {
    javascript: (s) => send(bundles.javascript(s)),
    html: (s) => send(bundles.html(s)),
    markdown: (s) => send(bundles.markdown(s)),
    latex: (s) => send(bundles.latex(s)),
    svg: (s) => send(bundles.svg(s)),
    png: (b) => send(bundles.png(b)),
    jpeg: (b) => send(bundles.jpeg(b)),
    gif: (b) => send(bundles.gif(b)),
    pdf: (b) =>
      send({ "application/pdf": Buffer.from(b).toString("base64"), "text/plain": `<PDF, ${b.length} bytes>` }),
    text: (s) => send(bundles.text(s)),
    raw: (contentType, b) => send(bundles.raw(contentType, b)),
  };
}

/**
 * The `tslab` module's API.
 * @example tslab.display.html("<b>hello</b>"); const d = tslab.newDisplay(); d.text("1"); d.text("2");
 */
export const tslab = {
  display: makeDisplay(),
  /** A display that shows one output and overwrites it on each later call. */
  newDisplay(): TslabDisplay {
    return makeDisplay(newDisplayId());
  },
  versions: { tslab: "deepts", typescript: "", node: process.version },
};
