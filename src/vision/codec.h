// Codec: encoded bytes <-> 8-bit BGR pixels, with libpng, libjpeg-turbo and
// libwebp (and Leptonica, which Tesseract brings, for BMP and for writing)
// rather than OpenCV's imgcodecs, whose Debian build links GDAL and ~130
// other libraries that cost every gatehouse process about 80 ms to load
// before main() (docs/decisions/0013, "Decoding"). The pixels are those
// imgcodecs gives (tests/unit/vision/image_test.cc); nothing is printed, an
// error is a Status with the decoder's message.
//
// Callers check the header first (image.h Probe/Decode); these functions
// assume the bytes passed it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "base/result.h"
#include "vision/image.h"

namespace gh::vision {

// PNG, JPEG, WebP or BMP (`format`, as image.h Probe read it) to 8-bit BGR,
// as stored (no EXIF orientation applied; see ApplyOrientation). Any alpha
// channel is dropped, palettes and grey levels are expanded, 16-bit samples
// keep their high byte. GIF is refused.
Result<cv::Mat> DecodePixels(std::string_view bytes, Format format);

// `m` (8-bit BGR) as a baseline JPEG of `quality` (1-100) or a PNG; neither
// carries any metadata.
Result<std::string> EncodeJpeg(const cv::Mat& m, int quality);
Result<std::string> EncodePng(const cv::Mat& m);

// Turns `m` the way EXIF orientation `o` (1-8) says the stored pixels must be
// turned to be seen upright; values outside 2-8 leave it as it is.
void ApplyOrientation(cv::Mat& m, int o);

}  // namespace gh::vision
