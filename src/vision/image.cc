#include "vision/image.h"

#include <algorithm>
#include <cstring>

#include <opencv2/imgproc.hpp>

#include "vision/codec.h"
#include "vision/metadata.h"

namespace gh::vision {
namespace {

uint32_t Be16(std::string_view b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 8) | static_cast<uint8_t>(b[at + 1]);
}
uint32_t Be32(std::string_view b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }
uint32_t Le16(std::string_view b, size_t at) {
  return static_cast<uint8_t>(b[at]) | (uint32_t{static_cast<uint8_t>(b[at + 1])} << 8);
}
uint32_t Le24(std::string_view b, size_t at) {
  return Le16(b, at) | (uint32_t{static_cast<uint8_t>(b[at + 2])} << 16);
}
uint32_t Le32(std::string_view b, size_t at) { return Le16(b, at) | (Le16(b, at + 2) << 16); }

Status Truncated(std::string_view what) {
  return Status::InvalidArgument("is truncated (" + std::string(what) + ")");
}

Result<ImageInfo> ProbePng(std::string_view b) {
  ImageInfo info{Format::kPng, 0, 0};
  size_t pos = 8;
  bool header = false;
  while (true) {
    if (pos + 8 > b.size()) return Truncated("a PNG without its IEND chunk");
    const uint32_t len = Be32(b, pos);
    const std::string_view type = b.substr(pos + 4, 4);
    if (len > 0x7fffffffu || pos + 12 + size_t{len} > b.size()) {
      return Truncated("a PNG chunk runs past the end of the file");
    }
    if (!header) {
      if (type != "IHDR" || len < 8) {
        return Status::InvalidArgument("is not a valid PNG (it does not start with IHDR)");
      }
      info.width = Be32(b, pos + 8);
      info.height = Be32(b, pos + 12);
      header = true;
    }
    if (type == "IEND") return info;
    pos += 12 + size_t{len};
  }
}

Result<ImageInfo> ProbeJpeg(std::string_view b) {
  ImageInfo info{Format::kJpeg, 0, 0};
  size_t pos = 2;
  size_t scan_at = 0;
  while (pos + 4 <= b.size()) {
    if (static_cast<uint8_t>(b[pos]) != 0xFF) {
      return Status::InvalidArgument("is not a valid JPEG (a marker was expected at byte " +
                                     std::to_string(pos) + ")");
    }
    const uint8_t m = static_cast<uint8_t>(b[pos + 1]);
    if (m == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // markers without a length
      pos += 2;
      continue;
    }
    if (m == 0xD9) break;
    const uint32_t len = Be16(b, pos + 2);
    if (len < 2 || pos + 2 + len > b.size()) return Truncated("a JPEG segment runs past the end");
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof && info.width == 0) {
      if (len < 7) return Status::InvalidArgument("is not a valid JPEG (a short frame header)");
      info.height = Be16(b, pos + 5);
      info.width = Be16(b, pos + 7);
    }
    if (m == 0xDA) {
      scan_at = pos + 2 + len;
      break;
    }
    pos += 2 + len;
  }
  if (info.width == 0 && info.height == 0) {
    return Truncated("a JPEG that ends before its frame header");
  }
  // After the first scan, 0xFF 0xD9 can only be the end-of-image marker
  // (entropy-coded data stuffs every 0xFF with 0x00 or a restart marker).
  if (scan_at == 0) return Truncated("a JPEG without image data");
  const std::string_view rest = b.substr(std::min(scan_at, b.size()));
  if (rest.find("\xFF\xD9") == std::string_view::npos) {
    return Truncated("a JPEG without its end-of-image marker");
  }
  return info;
}

Result<ImageInfo> ProbeGif(std::string_view b) {
  if (b.size() < 13) return Truncated("a GIF shorter than its header");
  ImageInfo info{Format::kGif, Le16(b, 6), Le16(b, 8)};
  size_t end = b.size();
  while (end > 13 && b[end - 1] == '\0') --end;  // padding after the trailer
  if (b[end - 1] != 0x3B) return Truncated("a GIF without its trailer");
  return info;
}

Result<ImageInfo> ProbeWebp(std::string_view b) {
  if (b.size() < 30) return Truncated("a WebP shorter than its header");
  const size_t riff = Le32(b, 4);
  if (riff + 8 > b.size()) return Truncated("a WebP shorter than its RIFF size");
  const std::string_view chunk = b.substr(12, 4);
  ImageInfo info{Format::kWebp, 0, 0};
  if (chunk == "VP8X") {
    info.width = Le24(b, 24) + 1;
    info.height = Le24(b, 27) + 1;
  } else if (chunk == "VP8L") {
    if (static_cast<uint8_t>(b[20]) != 0x2f) {
      return Status::InvalidArgument("is not a valid WebP (a lossless header was expected)");
    }
    const uint32_t v = Le32(b, 21);
    info.width = (v & 0x3fff) + 1;
    info.height = ((v >> 14) & 0x3fff) + 1;
  } else if (chunk == "VP8 ") {
    if (b.substr(23, 3) != "\x9d\x01\x2a") {
      return Status::InvalidArgument("is not a valid WebP (a VP8 start code was expected)");
    }
    info.width = Le16(b, 26) & 0x3fff;
    info.height = Le16(b, 28) & 0x3fff;
  } else {
    return Status::InvalidArgument("is not a valid WebP (unknown chunk '" + std::string(chunk) +
                                   "')");
  }
  return info;
}

Result<ImageInfo> ProbeBmp(std::string_view b) {
  if (b.size() < 26) return Truncated("a BMP shorter than its header");
  if (Le32(b, 2) > b.size()) return Truncated("a BMP shorter than its declared size");
  ImageInfo info{Format::kBmp, 0, 0};
  if (Le32(b, 14) == 12) {  // OS/2 core header: 16-bit sizes
    info.width = Le16(b, 18);
    info.height = Le16(b, 20);
  } else {
    const auto w = static_cast<int32_t>(Le32(b, 18)), h = static_cast<int32_t>(Le32(b, 22));
    info.width = static_cast<uint32_t>(w < 0 ? -static_cast<int64_t>(w) : w);
    info.height = static_cast<uint32_t>(h < 0 ? -static_cast<int64_t>(h) : h);
  }
  return info;
}

}  // namespace

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kJpeg:
      return "jpeg";
    case Format::kPng:
      return "png";
    case Format::kGif:
      return "gif";
    case Format::kWebp:
      return "webp";
    case Format::kBmp:
      return "bmp";
  }
  return "?";
}

std::string_view FormatMediaType(Format f) {
  switch (f) {
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kPng:
      return "image/png";
    case Format::kGif:
      return "image/gif";
    case Format::kWebp:
      return "image/webp";
    case Format::kBmp:
      return "image/bmp";
  }
  return "application/octet-stream";
}

Result<ImageInfo> Probe(std::string_view b, const Limits& limits) {
  if (b.empty()) return Status::InvalidArgument("is empty (0 bytes)");
  if (b.size() > limits.max_bytes) {
    return Status::InvalidArgument("is " + std::to_string(b.size()) + " bytes; the limit is " +
                                   std::to_string(limits.max_bytes) + " bytes");
  }
  Result<ImageInfo> r = Status::InvalidArgument("is not an image (JPEG, PNG, GIF, WebP or BMP)");
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") {
    r = ProbePng(b);
  } else if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") {
    r = ProbeJpeg(b);
  } else if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
    r = ProbeGif(b);
  } else if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
    r = ProbeWebp(b);
  } else if (b.size() >= 2 && b.substr(0, 2) == "BM") {
    r = ProbeBmp(b);
  }
  if (!r.ok()) return r;
  const ImageInfo info = *r;
  if (info.width == 0 || info.height == 0) {
    return Status::InvalidArgument("declares an empty image (" + std::to_string(info.width) +
                                   " x " + std::to_string(info.height) + " pixels)");
  }
  const uint64_t pixels = uint64_t{info.width} * info.height;
  if (info.width > limits.max_side || info.height > limits.max_side || pixels > limits.max_pixels) {
    return Status::InvalidArgument(
        "is " + std::to_string(info.width) + " x " + std::to_string(info.height) +
        " pixels; the limit is " + std::to_string(limits.max_pixels / 1'000'000) +
        " megapixels and " + std::to_string(limits.max_side) + " pixels a side");
  }
  return info;
}

Result<cv::Mat> Decode(std::string_view bytes, const Limits& limits, ImageInfo* info_out) {
  GH_ASSIGN_OR_RETURN(ImageInfo info, Probe(bytes, limits));
  if (info_out) *info_out = info;
  return DecodeProbed(bytes, info, ReadOrientation(bytes));
}

Result<cv::Mat> DecodeProbed(std::string_view bytes, const ImageInfo& info, int orientation) {
  if (info.format == Format::kGif) {
    // OpenCV 4.6 (Debian 12) has no GIF decoder.
    return Status::FailedPrecondition(
        "is a GIF, which this build cannot decode (send PNG or JPEG)");
  }
  Result<cv::Mat> out = DecodePixels(bytes, info.format);
  if (!out.ok()) {
    return Status::InvalidArgument("could not be decoded as " +
                                   std::string(FormatName(info.format)) + " (" +
                                   out.status().message() + ")");
  }
  if (out->empty()) {
    return Status::InvalidArgument("could not be decoded as " +
                                   std::string(FormatName(info.format)) + " (corrupt data)");
  }
  ApplyOrientation(*out, orientation);
  return out;
}

cv::Mat FitWithin(const cv::Mat& m, uint32_t max_side, double* scale) {
  const int side = std::max(m.cols, m.rows);
  if (side <= static_cast<int>(max_side) || side == 0) {
    if (scale) *scale = 1.0;
    return m;
  }
  const double s = static_cast<double>(max_side) / side;
  cv::Mat out;
  cv::resize(m, out, cv::Size(), s, s, cv::INTER_AREA);
  if (scale) *scale = s;
  return out;
}

}  // namespace gh::vision
