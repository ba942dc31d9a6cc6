/**
 * The image half of `tf.node` (what `@tensorflow/tfjs-node` adds to TF.js): image files to tensors and
 * tensors to image files, with tfjs-node 4.22's names, defaults, shapes and dtypes.
 *
 * ```ts
 * const img = tf.node.decodeImage(fs.readFileSync("cat.jpg"), 3); // [height, width, 3] int32
 * fs.writeFileSync("cat.png", await tf.node.encodePng(img));
 * ```
 */
import { tensor } from "../ops/convert.js";
import type { Tensor, Tensor3D, Tensor4D } from "../tensor.js";
import { decodeBmpImage } from "./bmp-decode.js";
import { decodeGifFrames } from "./gif-decode.js";
import { getImageType, ImageType } from "./image-type.js";
import { decodeJpegImage, encodeJpegImage } from "./jpeg.js";
import { decodePngImage } from "./png-decode.js";
import { encodePng as encodePngBytes, type PngChannels } from "./png-encode.js";
import { checkChannels, convertChannels, type RawImage } from "./raw-image.js";

export { getImageType, ImageType };

function checkContents(fn: string, contents: Uint8Array): void {
  if (!(contents instanceof Uint8Array)) {
    throw new Error(
      `${fn}: expected the file's bytes as a Uint8Array (e.g. fs.readFileSync(path)), got ${typeof contents}`,
    );
  }
}

function checkInt32(fn: string, dtype: string): void {
  if (dtype !== "int32") throw new Error(`${fn} could only return Tensor of type \`int32\` for now, got '${dtype}'`);
}

function toTensor3D(image: RawImage): Tensor3D {
  return tensor(Int32Array.from(image.data), [image.height, image.width, image.channels], "int32") as Tensor3D;
}

/**
 * Decodes a PNG file to an int32 tensor `[height, width, channels]` with values 0..255.
 * `channels`: 0 = as stored (a palette gives 3, or 4 with transparency), 1 grey, 2 grey+alpha,
 * 3 RGB, 4 RGBA. Every bit depth, colour type and interlaced files are read; 16-bit samples keep
 * their high byte.
 * @example const img = tf.node.decodePng(fs.readFileSync("digit.png"), 1); // [28, 28, 1]
 */
export function decodePng(contents: Uint8Array, channels = 0, dtype = "int32"): Tensor3D {
  checkInt32("decodePng", dtype);
  checkContents("decodePng", contents);
  checkChannels("decodePng", channels, [0, 1, 2, 3, 4]);
  return toTensor3D(convertChannels(decodePngImage(contents), channels));
}

/**
 * Decodes a JPEG file (baseline or progressive) to an int32 tensor `[height, width, channels]`.
 * `channels`: 0 = as stored (1 for a grey JPEG, else 3), 1 grey, 3 RGB. `ratio` (1, 2, 4, 8)
 * shrinks the image by that factor; `tryRecoverTruncated` decodes what a damaged file holds.
 * `fancyUpscaling`, `acceptableFraction` and `dctMethod` are accepted for compatibility: the
 * decoder (jpeg-js) has one way to upsample chroma and one inverse DCT.
 * @example const img = tf.node.decodeJpeg(fs.readFileSync("cat.jpg")); // [h, w, 3]
 */
export function decodeJpeg(
  contents: Uint8Array,
  channels = 0,
  ratio = 1,
  fancyUpscaling = true,
  tryRecoverTruncated = false,
  acceptableFraction = 1,
  dctMethod = "",
): Tensor3D {
  void fancyUpscaling;
  void acceptableFraction;
  void dctMethod;
  checkContents("decodeJpeg", contents);
  checkChannels("decodeJpeg", channels, [0, 1, 3]);
  if (![1, 2, 4, 8].includes(ratio)) throw new Error(`decodeJpeg: ratio must be 1, 2, 4 or 8, got ${ratio}`);
  return toTensor3D(convertChannels(decodeJpegImage(contents, ratio, tryRecoverTruncated), channels));
}

/**
 * Decodes a BMP file to an int32 tensor `[height, width, channels]`. `channels`: 0 = as stored
 * (24-bit gives 3, 32-bit gives 4 with the file's alpha byte, a grey palette gives 1), 1 grey,
 * 3 RGB, 4 RGBA. Uncompressed 1/4/8/16/24/32-bit files are read; RLE ones are refused.
 * @example const img = tf.node.decodeBmp(fs.readFileSync("icon.bmp"), 3);
 */
export function decodeBmp(contents: Uint8Array, channels = 0): Tensor3D {
  checkContents("decodeBmp", contents);
  checkChannels("decodeBmp", channels, [0, 1, 3, 4]);
  return toTensor3D(convertChannels(decodeBmpImage(contents), channels));
}

/**
 * Decodes every frame of a GIF to an int32 tensor `[frames, height, width, 3]` (RGB; each frame
 * drawn over the one before, as an animation shows it).
 * @example const frames = tf.node.decodeGif(fs.readFileSync("spin.gif")); // [n, h, w, 3]
 */
export function decodeGif(contents: Uint8Array): Tensor4D {
  checkContents("decodeGif", contents);
  const { frames, width, height, data } = decodeGifFrames(contents);
  return tensor(Int32Array.from(data), [frames, height, width, 3], "int32") as Tensor4D;
}

/**
 * Decodes a BMP, GIF, JPEG or PNG file (told apart by its first bytes) to an int32 tensor:
 * `[height, width, channels]`, or for a GIF `[frames, height, width, 3]` — only the first frame,
 * 3-D, when `expandAnimations` is false. `channels` (0 = as stored, 1, 3, 4) applies to BMP, JPEG
 * and PNG; a GIF is always RGB.
 * @example const img = tf.node.decodeImage(fs.readFileSync("photo.jpg"), 3); // [h, w, 3]
 */
export function decodeImage(
  content: Uint8Array,
  channels = 0,
  dtype = "int32",
  expandAnimations = true,
): Tensor3D | Tensor4D {
  checkInt32("decodeImage", dtype);
  switch (getImageType(content)) {
    case ImageType.JPEG:
      return decodeJpeg(content, channels);
    case ImageType.PNG:
      return decodePng(content, channels);
    case ImageType.BMP:
      return decodeBmp(content, channels);
    case ImageType.GIF: {
      if (expandAnimations) return decodeGif(content);
      const { width, height, data } = decodeGifFrames(content);
      return tensor(Int32Array.from(data.subarray(0, width * height * 3)), [height, width, 3], "int32") as Tensor3D;
    }
  }
}

/** The image's pixels as bytes (values wrap modulo 256, as a `Uint8Array` of the data does). */
async function imagePixels(fn: string, image: Tensor, allowed: readonly number[]): Promise<RawImage> {
  if (image?.shape?.length !== 3) {
    throw new Error(`${fn}: expected a 3-D image tensor [height, width, channels], got shape [${image?.shape}]`);
  }
  const [height, width, channels] = image.shape as [number, number, number];
  if (!allowed.includes(channels)) {
    throw new Error(`${fn}: the image must have ${allowed.join(", ")} channels, got ${channels}`);
  }
  if (height === 0 || width === 0) throw new Error(`${fn}: the image is empty ([${image.shape}])`);
  return { width, height, channels, data: new Uint8Array(await image.data()) };
}

/**
 * Encodes a `[height, width, channels]` image (1–4 channels, values 0..255) as a PNG file.
 * `compression` is zlib's level: -1 default, 0 none … 9 smallest (1, fast, by default).
 * @example fs.writeFileSync("out.png", await tf.node.encodePng(img));
 */
export async function encodePng(image: Tensor3D, compression = 1): Promise<Uint8Array> {
  const raw = await imagePixels("encodePng", image, [1, 2, 3, 4]);
  const png = encodePngBytes(raw.data, raw.width, raw.height, raw.channels as PngChannels, compression);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Encodes a `[height, width, 1 | 3]` image (values 0..255) as a baseline JPEG file at `quality`
 * (0–100). `format` '' keeps the image's channels, 'grayscale' or 'rgb' converts first. The file
 * always has three colour components (the encoder, jpeg-js, writes no grey JPEG), so a grey image
 * decodes back as RGB with equal channels. `progressive`, `optimizeSize`, `chromaDownsampling`,
 * the density and `xmpMetadata` are accepted for compatibility and not written.
 * @example fs.writeFileSync("out.jpg", await tf.node.encodeJpeg(img, "", 90));
 */
export async function encodeJpeg(
  image: Tensor3D,
  format: "" | "grayscale" | "rgb" = "",
  quality = 95,
  progressive = false,
  optimizeSize = false,
  chromaDownsampling = true,
  densityUnit: "in" | "cm" = "in",
  xDensity = 300,
  yDensity = 300,
  xmpMetadata = "",
): Promise<Uint8Array> {
  void [progressive, optimizeSize, chromaDownsampling, densityUnit, xDensity, yDensity, xmpMetadata];
  if (format !== "" && format !== "grayscale" && format !== "rgb") {
    throw new Error(`encodeJpeg: format must be '', 'grayscale' or 'rgb', got '${format}'`);
  }
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new Error(`encodeJpeg: quality must be an integer from 0 to 100, got ${quality}`);
  }
  const raw = await imagePixels("encodeJpeg", image, [1, 3]);
  const target = format === "grayscale" ? 1 : format === "rgb" ? 3 : 0;
  return encodeJpegImage(convertChannels(raw, target), quality);
}
