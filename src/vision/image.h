// Image: recognising an image's format and size from its first bytes, before
// anything decodes it, and decoding it within limits.
//
// Every image Gatehouse looks at comes from someone else (a post's attachment,
// an upload), so nothing is decoded until its header has been read by hand:
// the declared width and height are checked against the limits first, which
// is what stops a decompression bomb (a few kilobytes declaring 50,000 x
// 50,000 pixels) before a decoder allocates gigabytes. A file that ends
// before its format's end marker is "truncated", not half-decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "base/result.h"

namespace gh::vision {

enum class Format { kJpeg, kPng, kGif, kWebp, kBmp };
std::string_view FormatName(Format f);       // "jpeg", "png", ...
std::string_view FormatMediaType(Format f);  // "image/jpeg", ...

// What an image may cost. Configurable per deployment (gatehouse.yaml
// `images:` / `gatehouse check --image-max-*`); the defaults take any phone
// photo and refuse anything a phone could not have made.
struct Limits {
  size_t max_bytes = 25u << 20;      // 25 MiB of encoded bytes
  uint64_t max_pixels = 50'000'000;  // 50 megapixels declared
  uint32_t max_side = 20'000;        // either side, in pixels
  uint32_t ocr_max_side = 2'400;     // larger images are scaled down for OCR
  uint32_t face_max_side = 1'600;    // ... and for face detection
};

struct ImageInfo {
  Format format = Format::kJpeg;
  uint32_t width = 0, height = 0;
};

// Reads the format and declared size from the header and checks the file is
// whole (its end marker is present) and within `limits`. Errors are
// InvalidArgument with a message fit to follow a field name:
// "is not an image (JPEG, PNG, GIF, WebP or BMP)", "is truncated (a PNG
// without its IEND chunk)", "is 50000 x 50000 pixels; the limit is 50
// megapixels".
Result<ImageInfo> Probe(std::string_view bytes, const Limits& limits);

// Probe, then decode to 8-bit BGR with the EXIF orientation applied.
Result<cv::Mat> Decode(std::string_view bytes, const Limits& limits, ImageInfo* info = nullptr);

// Decode for a caller that has already probed the bytes and read their EXIF
// orientation (metadata.h), so that neither is done twice: the analyser and
// StripMetadata.
Result<cv::Mat> DecodeProbed(std::string_view bytes, const ImageInfo& info, int orientation);

// A copy no larger than `max_side` on either side (the same Mat when it
// already fits); `scale` is set to new/old.
cv::Mat FitWithin(const cv::Mat& m, uint32_t max_side, double* scale);

}  // namespace gh::vision
