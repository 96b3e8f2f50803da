#include "vision/codec.h"

// libpng and libjpeg report errors by longjmp out of their callbacks: each
// decoder below keeps only plain data (no C++ objects with destructors)
// between its setjmp and the library calls, and turns a longjmp into a
// Status. Their messages are kept for the Status, never printed.
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

#include <jpeglib.h>
// jpeglib.h first: jerror.h needs its types.
#include <jerror.h>
#include <leptonica/allheaders.h>
#include <png.h>
#include <webp/decode.h>

namespace gh::vision {

namespace {
void QuietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// ---------------------------------------------------------------------------
// PNG (libpng), read as OpenCV's imgcodecs reads it for IMREAD_COLOR: 16-bit
// samples to their high byte, palettes and grey expanded, alpha dropped (not
// composited), no gamma correction.

struct PngSource {
  const uint8_t* data;
  size_t size, pos;
};

struct PngFailure {
  std::jmp_buf jump;
  char message[200];
};

void PngRead(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (src->size - src->pos < n) png_error(png, "the data ends early");
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}

[[noreturn]] void PngError(png_structp png, png_const_charp message) {
  auto* f = static_cast<PngFailure*>(png_get_error_ptr(png));
  std::snprintf(f->message, sizeof f->message, "%s", message);
  std::longjmp(f->jump, 1);
}

void PngWarning(png_structp, png_const_charp) {}

// Decodes into `out` (allocated here once the size is known). Returns false
// with failure.message set on any error.
bool DecodePngInto(std::string_view bytes, cv::Mat& out, PngFailure& failure) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, PngError, PngWarning);
  if (png == nullptr) {
    std::snprintf(failure.message, sizeof failure.message, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  PngSource src{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), 0};
  // Rows are pointers into `out`, which outlives the longjmp target;
  // volatile, as it changes between setjmp and a longjmp.
  png_bytep* volatile rows = nullptr;
  if (setjmp(failure.jump) != 0) {
    std::free(const_cast<png_bytep*>(rows));
    png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    return false;
  }
  if (info == nullptr) png_error(png, "out of memory");
  png_set_read_fn(png, &src, PngRead);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  const int color_type = png_get_color_type(png, info);
  if (bit_depth == 16) png_set_strip_16(png);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) {
    png_set_gray_to_rgb(png);
  }
  png_set_strip_alpha(png);  // a tRNS chunk is not expanded to alpha either
  png_set_bgr(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8) {
    png_error(png, "unsupported pixel layout");
  }
  out.create(static_cast<int>(height), static_cast<int>(width), CV_8UC3);
  rows = static_cast<png_bytep*>(std::malloc(sizeof(png_bytep) * height));
  if (rows == nullptr) png_error(png, "out of memory");
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = out.ptr<uint8_t>(static_cast<int>(y));
  png_read_image(png, const_cast<png_bytep*>(rows));
  png_read_end(png, nullptr);
  std::free(const_cast<png_bytep*>(rows));
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

// ---------------------------------------------------------------------------
// JPEG (libjpeg-turbo), to BGR; Adobe CMYK and YCCK converted as imgcodecs
// does. Warnings ("premature end of data") are not printed.

struct JpegFailure {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void JpegError(j_common_ptr cinfo) {
  auto* f = reinterpret_cast<JpegFailure*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, f->message);
  std::longjmp(f->jump, 1);
}

void JpegSilent(j_common_ptr) {}

bool DecodeJpegInto(std::string_view bytes, cv::Mat& out, JpegFailure& failure) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&failure.pub);
  failure.pub.error_exit = JpegError;
  failure.pub.output_message = JpegSilent;
  failure.message[0] = '\0';
  uint8_t* volatile cmyk_row = nullptr;
  if (setjmp(failure.jump) != 0) {
    std::free(static_cast<uint8_t*>(cmyk_row));
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));  // NOLINT(runtime/int)
  jpeg_read_header(&cinfo, TRUE);
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_BGR;
  jpeg_start_decompress(&cinfo);
  out.create(static_cast<int>(cinfo.output_height), static_cast<int>(cinfo.output_width), CV_8UC3);
  if (cmyk) {
    cmyk_row = static_cast<uint8_t*>(std::malloc(size_t{cinfo.output_width} * 4));
    if (cmyk_row == nullptr) ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t* row = out.ptr<uint8_t>(static_cast<int>(cinfo.output_scanline));
    JSAMPROW target = cmyk ? static_cast<uint8_t*>(cmyk_row) : row;
    jpeg_read_scanlines(&cinfo, &target, 1);
    if (cmyk) {
      // Adobe writes CMYK inverted: each value is 255 - ink.
      for (JDIMENSION x = 0; x < cinfo.output_width; ++x) {
        const unsigned c = cmyk_row[4 * x], m = cmyk_row[4 * x + 1], y = cmyk_row[4 * x + 2],
                       k = cmyk_row[4 * x + 3];
        row[3 * x] = static_cast<uint8_t>(k * y / 255);
        row[3 * x + 1] = static_cast<uint8_t>(k * m / 255);
        row[3 * x + 2] = static_cast<uint8_t>(k * c / 255);
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  std::free(static_cast<uint8_t*>(cmyk_row));
  jpeg_destroy_decompress(&cinfo);
  return true;
}

// ---------------------------------------------------------------------------

// 8-bit BGR (or grey) -> a 32-bit Leptonica image, for the encoders.
PixPtr ToPix(const cv::Mat& m) {
  PixPtr pix(pixCreate(m.cols, m.rows, 32));
  if (!pix) return pix;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  const bool grey = m.channels() == 1;
  for (int y = 0; y < m.rows; ++y) {
    const uint8_t* row = m.ptr<uint8_t>(y);
    l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    for (int x = 0; x < m.cols; ++x) {
      const uint32_t b = grey ? row[x] : row[3 * x];
      const uint32_t g = grey ? row[x] : row[3 * x + 1];
      const uint32_t r = grey ? row[x] : row[3 * x + 2];
      line[x] = (r << L_RED_SHIFT) | (g << L_GREEN_SHIFT) | (b << L_BLUE_SHIFT);
    }
  }
  return pix;
}

// A Leptonica image of any depth -> 8-bit BGR.
Result<cv::Mat> FromPix(PIX* pix) {
  PixPtr rgb(pixConvertTo32(pix));
  if (!rgb) return Status::InvalidArgument("unsupported pixel layout");
  const int w = pixGetWidth(rgb.get()), h = pixGetHeight(rgb.get());
  const int wpl = pixGetWpl(rgb.get());
  const l_uint32* data = pixGetData(rgb.get());
  cv::Mat out(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    uint8_t* row = out.ptr<uint8_t>(y);
    const l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      const l_uint32 p = line[x];
      row[3 * x] = static_cast<uint8_t>(p >> L_BLUE_SHIFT);
      row[3 * x + 1] = static_cast<uint8_t>(p >> L_GREEN_SHIFT);
      row[3 * x + 2] = static_cast<uint8_t>(p >> L_RED_SHIFT);
    }
  }
  return out;
}

// `m` written by one of Leptonica's in-memory writers.
template <typename Writer>
Result<std::string> Encode(const cv::Mat& m, const char* what, Writer write) {
  QuietLeptonica();
  PixPtr pix = ToPix(m);
  if (!pix) return Status::Internal("encoding the image failed (no memory)");
  l_uint8* data = nullptr;
  size_t size = 0;
  if (write(&data, &size, pix.get()) != 0 || data == nullptr) {
    lept_free(data);
    return Status::Internal(std::string("encoding the image as ") + what + " failed");
  }
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}
}  // namespace

Result<cv::Mat> DecodePixels(std::string_view bytes, Format format) {
  cv::Mat out;
  switch (format) {
    case Format::kPng: {
      PngFailure failure{};
      if (!DecodePngInto(bytes, out, failure)) return Status::InvalidArgument(failure.message);
      return out;
    }
    case Format::kJpeg: {
      JpegFailure failure{};
      if (!DecodeJpegInto(bytes, out, failure)) return Status::InvalidArgument(failure.message);
      return out;
    }
    case Format::kWebp: {
      int width = 0, height = 0;
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      if (!WebPGetInfo(data, bytes.size(), &width, &height) || width <= 0 || height <= 0) {
        return Status::InvalidArgument("corrupt data");
      }
      out.create(height, width, CV_8UC3);
      if (WebPDecodeBGRInto(data, bytes.size(), out.data, out.total() * 3,
                            static_cast<int>(out.step)) == nullptr) {
        return Status::InvalidArgument("corrupt data");
      }
      return out;
    }
    case Format::kBmp: {
      QuietLeptonica();
      PixPtr pix(pixReadMemBmp(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size()));
      if (!pix) return Status::InvalidArgument("corrupt data");
      return FromPix(pix.get());
    }
    case Format::kGif:
      break;
  }
  return Status::FailedPrecondition("no decoder for " + std::string(FormatName(format)));
}

Result<std::string> EncodeJpeg(const cv::Mat& m, int quality) {
  return Encode(m, "JPEG", [quality](l_uint8** data, size_t* size, PIX* pix) {
    return pixWriteMemJpeg(data, size, pix, quality, 0);
  });
}

Result<std::string> EncodePng(const cv::Mat& m) {
  return Encode(m, "PNG", [](l_uint8** data, size_t* size, PIX* pix) {
    return pixWriteMemPng(data, size, pix, 0.0f);
  });
}

void ApplyOrientation(cv::Mat& m, int o) {
  cv::Mat t;
  switch (o) {
    case 2:  // mirrored
      cv::flip(m, m, 1);
      break;
    case 3:  // upside down
      cv::rotate(m, m, cv::ROTATE_180);
      break;
    case 4:  // mirrored upside down
      cv::flip(m, m, 0);
      break;
    case 5:  // mirrored along the top-left diagonal
      cv::transpose(m, t);
      m = t;
      break;
    case 6:  // on its left side: turn clockwise
      cv::rotate(m, m, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:  // mirrored along the other diagonal
      cv::transpose(m, t);
      cv::flip(t, m, -1);
      break;
    case 8:  // on its right side: turn anticlockwise
      cv::rotate(m, m, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      break;
  }
}

}  // namespace gh::vision
