/** Which image format a file holds, from its first bytes (the signatures TensorFlow checks). */

/** The formats `tf.node.decodeImage` reads (TF.js's `tf.node.ImageType`). */
export enum ImageType {
  JPEG = "jpeg",
  PNG = "png",
  GIF = "gif",
  BMP = "BMP",
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format of an image file from its signature: JPEG `ff d8 ff`, GIF `GIF8`, PNG `\x89PNG\r\n\x1a\n`,
 * BMP `BM`; anything else is an error.
 * @example tf.node.getImageType(fs.readFileSync("cat.jpg")) // "jpeg"
 */
export function getImageType(content: Uint8Array): ImageType {
  if (!(content instanceof Uint8Array)) {
    throw new Error(
      `Expected the image file's bytes as a Uint8Array (e.g. fs.readFileSync(path)), got ${typeof content}`,
    );
  }
  if (content.length > 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return ImageType.JPEG;
  if (content.length > 4 && content[0] === 0x47 && content[1] === 0x49 && content[2] === 0x46 && content[3] === 0x38) {
    return ImageType.GIF;
  }
  if (content.length > 8 && PNG_SIGNATURE.every((b, i) => content[i] === b)) return ImageType.PNG;
  if (content.length > 3 && content[0] === 0x42 && content[1] === 0x4d) return ImageType.BMP;
  const head = Array.from(content.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  throw new Error(
    `Expected image (BMP, JPEG, PNG, or GIF), but got unsupported image type (first bytes: ${head || "none"})`,
  );
}
