// Test pictures (test_images.h). Layout: small helpers (random numbers,
// cairo and OpenCV glue), then one section per family of pictures in the
// order of the header.
#include "support/images/test_images.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <numbers>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <exiv2/exiv2.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace gh::testimg {
namespace {

// ---------------------------------------------------------------------------
// Helpers

[[noreturn]] void Fail(std::string_view where, const std::string& what) {
  throw std::runtime_error(std::string(where) + ": " + what);
}

int Round(double v) { return static_cast<int>(std::lround(v)); }

constexpr double kPi = std::numbers::pi;

// FNV-1a, to derive a seed from text when the caller gives none.
uint32_t HashText(const std::vector<std::string>& parts) {
  uint32_t h = 2166136261u;
  for (const std::string& p : parts) {
    for (char c : p) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    h = (h ^ 0xFFu) * 16777619u;
  }
  return h;
}

// Colours are cairo's 0..1 RGB.
struct Rgb {
  double r, g, b;
};

cv::Scalar ToCv(const Rgb& c) {  // OpenCV's BGR, 0..255
  return cv::Scalar(c.b * 255, c.g * 255, c.r * 255);
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

Surface NewSurface(cairo_format_t format, int w, int h, std::string_view where) {
  Surface s(cairo_image_surface_create(format, w, h));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    Fail(where, std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(s.get())));
  }
  return s;
}

// The surface's pixels as BGR (RGB24) or un-premultiplied BGRA (ARGB32).
cv::Mat SurfaceToMat(cairo_surface_t* s) {
  cairo_surface_flush(s);
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  // Cairo stores each pixel as a native-endian 32-bit word, which on
  // little-endian machines is B, G, R, A/X in memory: OpenCV's BGRA.
  const cv::Mat wrapped(h, w, CV_8UC4, cairo_image_surface_get_data(s),
                        static_cast<size_t>(cairo_image_surface_get_stride(s)));
  cv::Mat out;
  if (cairo_image_surface_get_format(s) == CAIRO_FORMAT_RGB24) {
    cv::cvtColor(wrapped, out, cv::COLOR_BGRA2BGR);
    return out;
  }
  out = wrapped.clone();
  for (int y = 0; y < h; ++y) {
    auto* p = out.ptr<cv::Vec4b>(y);
    for (int x = 0; x < w; ++x) {
      const int a = p[x][3];
      if (a == 0 || a == 255) continue;
      for (int c = 0; c < 3; ++c) p[x][c] = cv::saturate_cast<uchar>(p[x][c] * 255.0 / a);
    }
  }
  return out;
}

std::string Encode(const cv::Mat& m, const std::string& format, std::string_view where) {
  std::vector<uchar> buf;
  bool ok = false;
  if (format == "png") {
    ok = cv::imencode(".png", m, buf);
  } else if (format == "jpeg" || format == "jpg") {
    ok = cv::imencode(".jpg", m, buf, {cv::IMWRITE_JPEG_QUALITY, 85});
  } else {
    Fail(where, "unknown format '" + format + "' (png or jpeg)");
  }
  if (!ok) Fail(where, "OpenCV could not encode the picture as " + format);
  return std::string(buf.begin(), buf.end());
}

cv::Mat Decode(const std::string& bytes, int flags, std::string_view where, std::string_view what) {
  cv::Mat m;
  if (!bytes.empty()) {
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<char*>(bytes.data()));  // imdecode only reads
    m = cv::imdecode(raw, flags);
  }
  if (m.empty()) Fail(where, std::string(what) + " do not decode as a picture");
  return m;
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Selects the font and refuses a family fontconfig lacks: cairo would quietly
// draw another, and an evaluation bucketed by font would then measure the
// wrong thing.
void SetFont(cairo_t* cr, const std::string& family, bool bold, bool italic,
             std::string_view where) {
  cairo_select_font_face(cr, family.c_str(),
                         italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_scaled_font_t* sf = cairo_get_scaled_font(cr);
  if (cairo_scaled_font_get_type(sf) != CAIRO_FONT_TYPE_FT) return;  // cannot tell: trust it
  std::string got;
  if (FT_Face face = cairo_ft_scaled_font_lock_face(sf)) {
    if (face->family_name) got = face->family_name;
    cairo_ft_scaled_font_unlock_face(sf);
  }
  if (ToLower(got) != ToLower(family)) {
    Fail(where, "font family '" + family + "' is not installed (fontconfig offers '" + got + "')");
  }
}

struct TextInk {
  double x, y, w, h;  // ink box in user space
};

// Draws `text` centred on cx with its baseline at `baseline`; returns the ink.
TextInk ShowCentred(cairo_t* cr, const std::string& text, double cx, double baseline) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  const double x = cx - (e.x_bearing + e.width / 2);
  cairo_move_to(cr, x, baseline);
  cairo_show_text(cr, text.c_str());
  return {x + e.x_bearing, baseline + e.y_bearing, e.width, e.height};
}

TextInk ShowAt(cairo_t* cr, const std::string& text, double x, double baseline) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_move_to(cr, x, baseline);
  cairo_show_text(cr, text.c_str());
  return {x + e.x_bearing, baseline + e.y_bearing, e.width, e.height};
}

double TextWidth(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.width;
}

void SetColour(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// A five-pointed star centred on (cx, cy).
void StarPath(cairo_t* cr, double cx, double cy, double r_out, double r_in, double turn = 0) {
  for (int i = 0; i < 10; ++i) {
    const double r = i % 2 ? r_in : r_out;
    const double a = -kPi / 2 + turn + i * kPi / 5;
    if (i == 0) {
      cairo_move_to(cr, cx + r * std::cos(a), cy + r * std::sin(a));
    } else {
      cairo_line_to(cr, cx + r * std::cos(a), cy + r * std::sin(a));
    }
  }
  cairo_close_path(cr);
}

// Adds zero-mean Gaussian noise (sigma in grey levels), as a camera would.
void AddNoise(cv::Mat& bgr, double sigma, uint32_t seed) {
  if (sigma <= 0) return;
  cv::Mat noise(bgr.size(), CV_16SC3);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0, sigma);
  cv::Mat wide;
  bgr.convertTo(wide, CV_16SC3);
  wide += noise;
  wide.convertTo(bgr, CV_8UC3);
}

// The bounding box of `b` mapped through the 2x3 affine matrix `m`.
cv::Rect2d MapBox(const cv::Mat& m, const cv::Rect2d& b) {
  std::vector<cv::Point2d> corners = {
      {b.x, b.y}, {b.x + b.width, b.y}, {b.x, b.y + b.height}, {b.x + b.width, b.y + b.height}};
  std::vector<cv::Point2d> mapped;
  cv::transform(corners, mapped, m);
  double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
  for (const auto& p : mapped) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

// `fg` rotated by angle_deg about its centre onto `bg` (which must be large
// enough), centred. Edges are blended through a warped mask so the border is
// anti-aliased. Returns the matrix used, to map boxes.
cv::Mat RotateOnto(const cv::Mat& fg, double angle_deg, cv::Mat& bg) {
  cv::Mat m = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(fg.cols) / 2.0f, static_cast<float>(fg.rows) / 2.0f),
      angle_deg, 1.0);
  m.at<double>(0, 2) += (bg.cols - fg.cols) / 2.0;
  m.at<double>(1, 2) += (bg.rows - fg.rows) / 2.0;
  cv::Mat warped, mask;
  cv::warpAffine(fg, warped, m, bg.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::warpAffine(cv::Mat(fg.size(), CV_32FC1, cv::Scalar(1.0)), mask, m, bg.size(),
                 cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::Mat inverse = 1.0 - mask;
  cv::blendLinear(warped, bg, mask, inverse, bg);
  return m;
}

void CheckSize(int w, int h, std::string_view where) {
  if (w < 200 || h < 150 || w > 8000 || h > 8000) {
    Fail(where,
         "size " + std::to_string(w) + "x" + std::to_string(h) + " is outside 200x150..8000x8000");
  }
}

Box ToBox(const cv::Rect2d& r, int pad, const cv::Size& bounds) {
  const int x0 = std::max(0, static_cast<int>(std::floor(r.x)) - pad);
  const int y0 = std::max(0, static_cast<int>(std::floor(r.y)) - pad);
  const int x1 = std::min(bounds.width, static_cast<int>(std::ceil(r.x + r.width)) + pad);
  const int y1 = std::min(bounds.height, static_cast<int>(std::ceil(r.y + r.height)) + pad);
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

// ---------------------------------------------------------------------------
// Certificates

constexpr std::array<const char*, 6> kHeadings = {
    "Certificate of Achievement", "Star of the Week",    "Reading Award",
    "Certificate of Excellence",  "Headteacher's Award", "Super Speller"};
constexpr std::array<const char*, 8> kReasons = {"for outstanding effort in maths",
                                                 "for brilliant reading this term",
                                                 "for kindness to everyone in the class",
                                                 "for a fantastic science project",
                                                 "for always trying their best",
                                                 "for wonderful handwriting",
                                                 "for excellent attendance",
                                                 "for a super story about dragons"};
constexpr std::array<const char*, 6> kDates = {"14 March 2026",  "6 February 2026",
                                               "22 May 2026",    "10 July 2026",
                                               "9 October 2026", "20 November 2026"};

struct Palette {
  Rgb paper, accent, ink, gold;
};
constexpr std::array<Palette, 5> kPalettes = {{
    {{1.00, 0.98, 0.92}, {0.10, 0.20, 0.50}, {0.10, 0.10, 0.15}, {0.80, 0.62, 0.15}},  // navy
    {{0.98, 0.99, 0.95}, {0.05, 0.40, 0.20}, {0.08, 0.12, 0.08}, {0.85, 0.70, 0.20}},  // green
    {{1.00, 0.97, 0.95}, {0.55, 0.08, 0.15}, {0.15, 0.08, 0.08}, {0.80, 0.60, 0.20}},  // maroon
    {{0.97, 0.96, 1.00}, {0.35, 0.15, 0.55}, {0.12, 0.10, 0.18}, {0.85, 0.65, 0.25}},  // purple
    {{1.00, 1.00, 1.00}, {0.00, 0.35, 0.55}, {0.05, 0.05, 0.05}, {0.90, 0.55, 0.10}},  // teal
}};

// The border: one of four styles, all inside `m` of the page edge.
void DrawBorder(cairo_t* cr, int w, int h, const Palette& p, Rng& rng) {
  const double m = 0.035 * std::min(w, h);
  const int style = rng.Int(0, 3);
  SetColour(cr, p.accent);
  switch (style) {
    case 0:  // double line
      cairo_set_line_width(cr, m * 0.25);
      cairo_rectangle(cr, m, m, w - 2 * m, h - 2 * m);
      cairo_stroke(cr);
      cairo_set_line_width(cr, m * 0.08);
      cairo_rectangle(cr, m * 1.6, m * 1.6, w - 3.2 * m, h - 3.2 * m);
      cairo_stroke(cr);
      break;
    case 1:  // thick frame with a gold inner line
      cairo_set_line_width(cr, m * 0.7);
      cairo_rectangle(cr, m, m, w - 2 * m, h - 2 * m);
      cairo_stroke(cr);
      SetColour(cr, p.gold);
      cairo_set_line_width(cr, m * 0.12);
      cairo_rectangle(cr, m * 1.7, m * 1.7, w - 3.4 * m, h - 3.4 * m);
      cairo_stroke(cr);
      break;
    case 2: {  // dashed line with corner discs
      const double dash[] = {m * 0.8, m * 0.4};
      cairo_set_dash(cr, dash, 2, 0);
      cairo_set_line_width(cr, m * 0.2);
      cairo_rectangle(cr, m * 1.2, m * 1.2, w - 2.4 * m, h - 2.4 * m);
      cairo_stroke(cr);
      cairo_set_dash(cr, nullptr, 0, 0);
      SetColour(cr, p.gold);
      for (double cx : {m * 1.2, w - m * 1.2}) {
        for (double cy : {m * 1.2, h - m * 1.2}) {
          cairo_arc(cr, cx, cy, m * 0.6, 0, 2 * kPi);
          cairo_fill(cr);
        }
      }
      break;
    }
    default:  // single line with corner stars
      cairo_set_line_width(cr, m * 0.18);
      cairo_rectangle(cr, m * 1.2, m * 1.2, w - 2.4 * m, h - 2.4 * m);
      cairo_stroke(cr);
      SetColour(cr, p.gold);
      for (double cx : {m * 1.2, w - m * 1.2}) {
        for (double cy : {m * 1.2, h - m * 1.2}) {
          StarPath(cr, cx, cy, m * 0.9, m * 0.38);
          cairo_fill(cr);
        }
      }
      break;
  }
}

// A gold rosette (seal) in the lower middle: a disc, a star, two ribbons.
void DrawSeal(cairo_t* cr, double cx, double cy, double r, const Palette& p) {
  SetColour(cr, p.accent);
  for (double dx : {-0.45, 0.45}) {
    cairo_move_to(cr, cx + dx * r, cy);
    cairo_line_to(cr, cx + dx * r * 1.6, cy + r * 1.8);
    cairo_line_to(cr, cx + dx * r * 0.9, cy + r * 1.5);
    cairo_line_to(cr, cx + dx * r * 0.4, cy + r * 1.8);
    cairo_close_path(cr);
    cairo_fill(cr);
  }
  SetColour(cr, p.gold);
  cairo_arc(cr, cx, cy, r, 0, 2 * kPi);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  StarPath(cr, cx, cy, r * 0.65, r * 0.27);
  cairo_fill(cr);
}

// The page itself (no rotation, scale or noise); returns the name's ink box.
cv::Mat DrawCertificatePage(const CertificateSpec& s, Rng& rng, cv::Rect2d& name_ink) {
  constexpr std::string_view kWhere = "RenderCertificate";
  const int w = s.width, h = s.height;
  Surface surface = NewSurface(CAIRO_FORMAT_RGB24, w, h, kWhere);
  Context ctx(cairo_create(surface.get()));
  cairo_t* cr = ctx.get();
  const Palette& p = rng.Pick(kPalettes);

  SetColour(cr, p.paper);
  cairo_paint(cr);
  DrawBorder(cr, w, h, p, rng);

  const std::string heading = s.heading.empty() ? rng.Pick(kHeadings) : s.heading;
  const std::string reason = rng.Pick(kReasons);
  const std::string date = rng.Pick(kDates);
  const double cx = w / 2.0;

  // Heading: as large as fits in 80% of the width.
  SetFont(cr, s.font_family, true, s.italic, kWhere);
  double size = 0.085 * h;
  cairo_set_font_size(cr, size);
  if (const double tw = TextWidth(cr, heading); tw > 0.8 * w) {
    cairo_set_font_size(cr, size * 0.8 * w / tw);
  }
  SetColour(cr, p.accent);
  ShowCentred(cr, heading, cx, 0.22 * h);

  SetFont(cr, s.font_family, false, s.italic, kWhere);
  cairo_set_font_size(cr, 0.038 * h);
  SetColour(cr, p.ink);
  ShowCentred(cr, "This certificate is awarded to", cx, 0.34 * h);

  // The name: the reason the picture exists, large, in the requested style.
  SetFont(cr, s.font_family, s.bold, s.italic, kWhere);
  size = 0.105 * h;
  cairo_set_font_size(cr, size);
  if (const double tw = TextWidth(cr, s.name); tw > 0.8 * w) {
    cairo_set_font_size(cr, size * 0.8 * w / tw);
  }
  SetColour(cr, p.ink);
  const TextInk ink = ShowCentred(cr, s.name, cx, 0.50 * h);
  name_ink = {ink.x, ink.y, ink.w, ink.h};
  // A ruled line under the name, as on a printed form; kept clear of the
  // descenders so it does not merge with the letters.
  SetColour(cr, p.gold);
  cairo_set_line_width(cr, std::max(2.0, 0.004 * h));
  cairo_move_to(cr, 0.2 * w, 0.50 * h + 0.045 * h);
  cairo_line_to(cr, 0.8 * w, 0.50 * h + 0.045 * h);
  cairo_stroke(cr);

  SetFont(cr, s.font_family, false, s.italic, kWhere);
  cairo_set_font_size(cr, 0.042 * h);
  SetColour(cr, p.ink);
  ShowCentred(cr, reason, cx, 0.65 * h);

  // Date on the left, signature on the right, each over a line.
  cairo_set_font_size(cr, 0.032 * h);
  const double base = 0.85 * h;
  ShowCentred(cr, date, 0.25 * w, base);
  ShowCentred(cr, "Mrs Patel, Headteacher", 0.75 * w, base);
  cairo_set_line_width(cr, std::max(1.0, 0.002 * h));
  for (double x : {0.25 * w, 0.75 * w}) {
    cairo_move_to(cr, x - 0.15 * w, base - 0.055 * h);
    cairo_line_to(cr, x + 0.15 * w, base - 0.055 * h);
    cairo_stroke(cr);
  }
  // A scribbled signature above the right-hand line.
  cairo_set_line_width(cr, std::max(1.5, 0.003 * h));
  cairo_move_to(cr, 0.68 * w, base - 0.07 * h);
  for (int i = 1; i <= 6; ++i) {
    cairo_line_to(cr, 0.68 * w + i * 0.022 * w, base - 0.07 * h - (i % 2 ? 0.03 : -0.005) * h);
  }
  cairo_stroke(cr);

  DrawSeal(cr, cx, 0.80 * h, 0.045 * h, p);
  return SurfaceToMat(surface.get());
}

// A table top, carpet or wall behind a photographed page: a flat colour with
// a gentle lighting gradient.
cv::Mat NeutralBackground(cv::Size size, Rng& rng) {
  static constexpr std::array<Rgb, 5> kSurfaces = {{{0.55, 0.42, 0.30},  // wood
                                                    {0.62, 0.62, 0.60},  // grey desk
                                                    {0.35, 0.38, 0.45},  // blue carpet
                                                    {0.80, 0.78, 0.72},  // beige wall
                                                    {0.25, 0.25, 0.25}}};
  const cv::Scalar base = ToCv(rng.Pick(kSurfaces));
  cv::Mat bg(size, CV_8UC3);
  const double gx = rng.Uniform(-0.15, 0.15), gy = rng.Uniform(-0.15, 0.15);
  for (int y = 0; y < size.height; ++y) {
    auto* row = bg.ptr<cv::Vec3b>(y);
    for (int x = 0; x < size.width; ++x) {
      const double f = 1.0 + gx * (2.0 * x / size.width - 1) + gy * (2.0 * y / size.height - 1);
      for (int c = 0; c < 3; ++c) row[x][c] = cv::saturate_cast<uchar>(base[c] * f);
    }
  }
  return bg;
}

// ---------------------------------------------------------------------------
// Faces

struct FaceSource {
  const char* file;
  Box face;  // what both cascades find (no equalisation), checked by hand
};
// messi5.jpg: the real face is the 39 px box; with histogram equalisation
// both cascades also agree on a false face at [244,65 78x78] (hair and
// shoulder), which is why the source boxes are fixed here, not re-detected.
constexpr std::array<FaceSource, 2> kFaceSources = {{
    {"basketball1.png", {71, 90, 43, 43}},
    {"messi5.jpg", {226, 93, 39, 39}},
}};
// Backgrounds with no face by either cascade once resized to 1024 x 768.
constexpr std::array<const char*, 6> kFaceBackgrounds = {
    "building.jpg", "home.jpg", "fruits.jpg", "leuvenA.jpg", "leuvenB.jpg", "aero3.jpg"};
constexpr int kFaceCanvasW = 1024, kFaceCanvasH = 768;

std::optional<cv::Mat> ReadSample(const std::string& file) {
  std::optional<std::string> bytes = SamplePicture(file);
  if (!bytes) return std::nullopt;
  const cv::Mat raw(1, static_cast<int>(bytes->size()), CV_8UC1, bytes->data());
  cv::Mat m = cv::imdecode(raw, cv::IMREAD_COLOR);
  if (m.empty()) return std::nullopt;
  return m;
}

// Resized to cover `size`, centre cropped.
cv::Mat Cover(const cv::Mat& m, cv::Size size) {
  const double k =
      std::max(static_cast<double>(size.width) / m.cols, static_cast<double>(size.height) / m.rows);
  cv::Mat r;
  cv::resize(
      m, r,
      cv::Size(std::max(size.width, Round(m.cols * k)), std::max(size.height, Round(m.rows * k))),
      0, 0, k < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  return r(cv::Rect((r.cols - size.width) / 2, (r.rows - size.height) / 2, size.width, size.height))
      .clone();
}

struct Cascades {
  cv::CascadeClassifier alt2, def;
};

std::optional<Cascades> LoadCascades() {
  Cascades c;
  const std::string dir = kCascadeDir;
  if (!c.alt2.load(dir + "/haarcascade_frontalface_alt2.xml") ||
      !c.def.load(dir + "/haarcascade_frontalface_default.xml")) {
    return std::nullopt;
  }
  return c;
}

Box FromRect(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }

// Both cascades' raw detections on `bgr` (the reference rule's parameters).
void DetectBoth(Cascades& c, const cv::Mat& bgr, bool equalize, std::vector<cv::Rect>& alt2,
                std::vector<cv::Rect>& def) {
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  if (equalize) cv::equalizeHist(grey, grey);
  const int min_side = std::max(24, std::min(grey.cols, grey.rows) / 20);
  c.alt2.detectMultiScale(grey, alt2, 1.1, 4, 0, cv::Size(min_side, min_side));
  c.def.detectMultiScale(grey, def, 1.1, 4, 0, cv::Size(min_side, min_side));
}

std::vector<Box> Agreed(const std::vector<cv::Rect>& alt2, const std::vector<cv::Rect>& def) {
  std::vector<Box> out;
  for (const cv::Rect& a : alt2) {
    for (const cv::Rect& d : def) {
      if (IoU(FromRect(a), FromRect(d)) >= 0.3) {
        out.push_back(FromRect(a));
        break;
      }
    }
  }
  return out;
}

// Whether each cascade, on its own, finds exactly the pasted faces: one box
// per face with IoU >= 0.3, and no other box. Stricter than the two-cascade
// rule, so a detector built on either cascade sees the same count.
bool ExactlyThese(const std::vector<cv::Rect>& found, const std::vector<Box>& faces) {
  if (found.size() != faces.size()) return false;
  std::vector<bool> used(found.size(), false);
  for (const Box& f : faces) {
    bool matched = false;
    for (size_t i = 0; i < found.size() && !matched; ++i) {
      if (!used[i] && IoU(FromRect(found[i]), f) >= 0.3) used[i] = matched = true;
    }
    if (!matched) return false;
  }
  return true;
}

// Pastes `head` (BGR, square) at `at` with an elliptical soft-edged mask.
void PasteHead(const cv::Mat& head, cv::Mat& canvas, cv::Point at) {
  cv::Mat mask(head.size(), CV_32FC1, cv::Scalar(0));
  const int side = head.cols;
  cv::ellipse(mask, cv::Point(side / 2, side / 2), cv::Size(side * 46 / 100, side * 48 / 100), 0, 0,
              360, cv::Scalar(1.0), cv::FILLED);
  const double sigma = std::max(1.0, side * 0.05);
  cv::GaussianBlur(mask, mask, cv::Size(0, 0), sigma);
  cv::Mat roi = canvas(cv::Rect(at.x, at.y, side, side));
  cv::Mat inverse = 1.0 - mask;
  cv::blendLinear(head, roi, mask, inverse, roi);
}

// One candidate photo; false when the faces could not be laid out.
bool ComposeOnce(int n, Rng& rng, const std::vector<cv::Mat>& sources, const cv::Mat& background,
                 cv::Mat& out, std::vector<Box>& faces) {
  out = background.clone();
  faces.clear();
  std::vector<cv::Rect> heads;
  for (int i = 0; i < n; ++i) {
    const size_t which = rng.Index(sources.size());
    const Box& src_face = kFaceSources[which].face;
    const cv::Mat& src = sources[which];
    bool placed = false;
    for (int attempt = 0; attempt < 400 && !placed; ++attempt) {
      const double face_px = rng.Uniform(60, 140);
      const double k = face_px / src_face.w;
      const int side = Round(1.8 * src_face.w * k);
      const int x = rng.Int(4, kFaceCanvasW - side - 4), y = rng.Int(4, kFaceCanvasH - side - 4);
      const cv::Rect head(x, y, side, side);
      const cv::Rect keep_out(x - 10, y - 10, side + 20, side + 20);
      if (std::any_of(heads.begin(), heads.end(),
                      [&](const cv::Rect& h) { return (h & keep_out).area() > 0; })) {
        continue;
      }
      // The crop: 1.8x the face box about its centre, nudged up a little so
      // the hair comes along; padded by replication at the picture's edge.
      const double crop_side = 1.8 * src_face.w;
      const double fcx = src_face.x + src_face.w / 2.0, fcy = src_face.y + src_face.h / 2.0;
      const int cx0 = Round(fcx - crop_side / 2),
                cy0 = Round(fcy - crop_side / 2 - 0.12 * crop_side);
      const int cs = Round(crop_side);
      cv::Mat padded;
      const int pad = cs;
      cv::copyMakeBorder(src, padded, pad, pad, pad, pad, cv::BORDER_REPLICATE);
      cv::Mat crop = padded(cv::Rect(cx0 + pad, cy0 + pad, cs, cs));
      cv::Mat head_px;
      cv::resize(crop, head_px, cv::Size(side, side), 0, 0, cv::INTER_CUBIC);
      const bool mirror = rng.Chance(0.5);
      if (mirror) cv::flip(head_px, head_px, 1);
      PasteHead(head_px, out, {x, y});
      heads.push_back(head);
      // Where the face box lands: the same offset within the crop, scaled
      // (and mirrored about the crop's centre when flipped).
      const double scale = static_cast<double>(side) / cs;
      double fx = (src_face.x - cx0) * scale;
      const double fy = (src_face.y - cy0) * scale;
      const double fw = src_face.w * scale;
      if (mirror) fx = side - fx - fw;
      faces.push_back({x + Round(fx), y + Round(fy), Round(fw), Round(fw)});
      placed = true;
    }
    if (!placed) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Logos

struct LogoColours {
  Rgb field, stripe, charge, dark;
};
constexpr std::array<LogoColours, 5> kLogoColours = {{
    {{0.10, 0.22, 0.55}, {0.95, 0.80, 0.20}, {0.85, 0.10, 0.15}, {0.05, 0.05, 0.15}},
    {{0.05, 0.45, 0.25}, {1.00, 1.00, 1.00}, {0.95, 0.75, 0.10}, {0.02, 0.15, 0.05}},
    {{0.60, 0.05, 0.15}, {0.95, 0.85, 0.55}, {0.10, 0.20, 0.50}, {0.15, 0.02, 0.05}},
    {{0.30, 0.12, 0.50}, {0.90, 0.90, 0.95}, {0.95, 0.60, 0.10}, {0.10, 0.02, 0.20}},
    {{0.00, 0.40, 0.55}, {0.98, 0.60, 0.15}, {1.00, 1.00, 1.00}, {0.00, 0.12, 0.18}},
}};

void ShieldPath(cairo_t* cr, double s) {
  const double l = 0.14 * s, r = 0.86 * s, t = 0.08 * s;
  cairo_move_to(cr, l, t);
  // A crenellated top edge: corners for the feature detector, and a common
  // school crest motif.
  const int teeth = 5;
  const double tw = (r - l) / (2 * teeth - 1);
  for (int i = 0; i < 2 * teeth - 1; ++i) {
    const double x0 = l + i * tw;
    if (i % 2) {
      cairo_line_to(cr, x0, t + 0.04 * s);
      cairo_line_to(cr, x0 + tw, t + 0.04 * s);
    } else {
      cairo_line_to(cr, x0, t);
      cairo_line_to(cr, x0 + tw, t);
    }
  }
  cairo_line_to(cr, r, 0.55 * s);
  cairo_curve_to(cr, r, 0.75 * s, 0.65 * s, 0.86 * s, 0.5 * s, 0.94 * s);
  cairo_curve_to(cr, 0.35 * s, 0.86 * s, l, 0.75 * s, l, 0.55 * s);
  cairo_close_path(cr);
}

void RoundelPath(cairo_t* cr, double s) { cairo_arc(cr, s / 2, s / 2, 0.43 * s, 0, 2 * kPi); }

// ---------------------------------------------------------------------------
// PNG and other byte-level writers

void PutBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}
void PutBe16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}
void PutLe16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}

void PngChunk(std::string& out, const char type[4], const std::string& data) {
  PutBe32(out, static_cast<uint32_t>(data.size()));
  const size_t start = out.size();
  out.append(type, 4);
  out += data;
  const auto* p = reinterpret_cast<const Bytef*>(out.data() + start);
  PutBe32(out, static_cast<uint32_t>(crc32(0, p, static_cast<uInt>(out.size() - start))));
}

std::string PngSignatureAndHeader(uint32_t width, uint32_t height, int bit_depth) {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBe32(ihdr, width);
  PutBe32(ihdr, height);
  ihdr.push_back(static_cast<char>(bit_depth));
  ihdr.append(std::string("\0\0\0\0", 4));  // greyscale, deflate, filter 0, no interlace
  PngChunk(out, "IHDR", ihdr);
  return out;
}

// zlib's deflate of `rows` rows of `row_bytes` zero bytes, fed a fixed
// buffer at a time, so memory stays constant whatever the picture's size.
std::string DeflateZeroRows(uint64_t rows, uint64_t row_bytes, std::string_view where) {
  z_stream z{};
  if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK) Fail(where, "deflateInit failed");
  std::string out;
  std::array<Bytef, 1 << 16> zeros{};
  std::array<Bytef, 1 << 16> buf;
  auto drain = [&](int flush) {
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      const int rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) {
        deflateEnd(&z);
        Fail(where, "deflate failed");
      }
      out.append(reinterpret_cast<const char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  };
  // Rows are all zero, filter byte included, so the stream is one long run
  // of zeros; feeding it in big pieces is the same stream and much faster.
  uint64_t left = rows * row_bytes;
  while (left > 0) {
    const auto piece = static_cast<uInt>(std::min<uint64_t>(left, zeros.size()));
    z.next_in = zeros.data();
    z.avail_in = piece;
    drain(Z_NO_FLUSH);
    left -= piece;
  }
  z.avail_in = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = buf.data();
    z.avail_out = static_cast<uInt>(buf.size());
    rc = deflate(&z, Z_FINISH);
    if (rc == Z_STREAM_ERROR) {
      deflateEnd(&z);
      Fail(where, "deflate failed");
    }
    out.append(reinterpret_cast<const char*>(buf.data()), buf.size() - z.avail_out);
  }
  deflateEnd(&z);
  return out;
}

// ---------------------------------------------------------------------------
// Names

// First names and surnames of the UK's varied origins (English, Welsh,
// Scottish, Irish, Polish, Romanian, South Asian, Nigerian, Ghanaian, Turkish,
// Arabic, Caribbean...). None is an ordinary English word (no Grace, Rose,
// Hope, Field, Baker), a rude word or contains one, or "Patel" (the
// certificates' signatory), so a match means the name was read.
constexpr std::array<const char*, 72> kFirstNames = {
    "Aisha",  "Harvey",   "Zofia",    "Rhys",    "Priya",   "Oliwia",    "Kwame",  "Siobhan",
    "Tariq",  "Freya",    "Mateusz",  "Amara",   "Callum",  "Yusuf",     "Niamh",  "Dmitri",
    "Imogen", "Arjun",    "Chiamaka", "Lachlan", "Fatima",  "Eilidh",    "Kacper", "Zainab",
    "Declan", "Ananya",   "Tobias",   "Ifeoma",  "Hamza",   "Elspeth",   "Lukas",  "Saoirse",
    "Bilal",  "Keira",    "Oskar",    "Nkechi",  "Ffion",   "Ravi",      "Leila",  "Dylan",
    "Ioana",  "Cerys",    "Omari",    "Bartosz", "Anjali",  "Kieran",    "Maryam", "Teodora",
    "Idris",  "Orla",     "Emeka",    "Gwen",    "Farhan",  "Agnieszka", "Connor", "Yasmin",
    "Thiago", "Aoife",    "Malachi",  "Keziah",  "Nikolai", "Darius",    "Ngozi",  "Elif",
    "Mehmet", "Rosalind", "Ishaan",   "Soraya",  "Efua",    "Cormac",    "Anwen",  "Jakub"};
constexpr std::array<const char*, 72> kSurnames = {
    "Okonkwo",    "Wainwright", "Kowalczyk", "Pritchard",    "Chaudhry",     "Nowak",
    "Mensah",     "Fitzgerald", "Haddad",    "Abernethy",    "Nakamura",     "Oyelaran",
    "Szymanski",  "Rahimi",     "Mackenzie", "Papadopoulos", "Okafor",       "Llewellyn",
    "Sandhu",     "Dubois",     "Kaczmarek", "Adeyemi",      "Horvath",      "Ferreira",
    "Gallagher",  "Yilmaz",     "Thorburn",  "Balogun",      "Jankowski",    "Quigley",
    "Ramaswamy",  "Ellingham",  "Sutcliffe", "Kovacs",       "Hussain",      "Petrovic",
    "Gonzalez",   "Donnelly",   "Osei",      "Lindgren",     "Bhattacharya", "Featherstone",
    "McAllister", "Ozturk",     "Iqbal",     "Nwosu",        "Grzybowski",   "Ashworth",
    "Demir",      "Fairbairn",  "Tremayne",  "Valdivia",     "Castellano",   "Ndlovu",
    "Rosenthal",  "Hargreaves", "Zielinski", "Agarwal",      "Lombardi",     "Mwangi",
    "Bellamy",    "Trevelyan",  "Olszewski", "Asante",       "Gillespie",    "Murtagh",
    "Achterberg", "Vasquez",    "Kaur",      "Obasi",        "Pemberton",    "Rutkowski"};
// Used only by DecoyNames: no first name or surname here appears above.
constexpr std::array<const char*, 24> kDecoyFirst = {
    "Beatrix", "Caspian", "Dominika", "Evander",  "Fenella", "Gethin",  "Hafsa",    "Ignatius",
    "Jolanta", "Kofi",    "Ludmila",  "Marisol",  "Nuala",   "Obadiah", "Perpetua", "Radoslaw",
    "Seren",   "Tadhg",   "Ulrika",   "Wojciech", "Xanthe",  "Yevgeny", "Zuleika",  "Augustin"};
constexpr std::array<const char*, 24> kDecoySurnames = {
    "Abercrombie", "Bezuidenhout", "Chukwuemeka", "Dankworth",   "Eriksen",      "Fothergill",
    "Gwilliam",    "Hrabowski",    "Ingleby",     "Jablonski",   "Kilbride",     "Lowenstein",
    "Mbatha",      "Nwachukwu",    "Oyewole",     "Prendergast", "Quartey",      "Ravensworth",
    "Stankiewicz", "Tsang",        "Urquhart",    "Vukovic",     "Wolstenholme", "Yardley"};

template <size_t F, size_t L>
std::vector<std::pair<std::string, std::string>> DrawNames(const std::array<const char*, F>& first,
                                                           const std::array<const char*, L>& last,
                                                           size_t n, uint32_t seed,
                                                           std::string_view where) {
  const size_t total = F * L;
  if (n > total) {
    Fail(where, std::to_string(n) + " names asked for; the lists make " + std::to_string(total));
  }
  // A shuffle of every (first, last) pair: distinct by construction.
  std::vector<uint32_t> order(total);
  for (size_t i = 0; i < total; ++i) order[i] = static_cast<uint32_t>(i);
  Rng rng(seed);
  for (size_t i = total - 1; i > 0; --i) std::swap(order[i], order[rng.Index(i + 1)]);
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(first[order[i] / L], last[order[i] % L]);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Text

std::string RenderCertificate(const CertificateSpec& s, Box* name_box) {
  constexpr std::string_view kWhere = "RenderCertificate";
  if (s.name.empty()) Fail(kWhere, "empty name");
  CheckSize(s.width, s.height, kWhere);
  if (!(s.scale >= 0.05 && s.scale <= 4)) Fail(kWhere, "scale outside 0.05..4");
  if (s.format != "png" && s.format != "jpeg" && s.format != "jpg") {
    Fail(kWhere, "unknown format '" + s.format + "' (png or jpeg)");
  }
  Rng rng(s.seed);
  cv::Rect2d name_ink;
  cv::Mat picture = DrawCertificatePage(s, rng, name_ink);
  cv::Rect2d name = name_ink;

  if (s.angle_deg != 0) {
    const double a = s.angle_deg * kPi / 180;
    const double rw = s.width * std::abs(std::cos(a)) + s.height * std::abs(std::sin(a));
    const double rh = s.width * std::abs(std::sin(a)) + s.height * std::abs(std::cos(a));
    const double margin = 0.06 * std::max(s.width, s.height);
    cv::Mat photo =
        NeutralBackground(cv::Size(Round(rw + 2 * margin), Round(rh + 2 * margin)), rng);
    const cv::Mat m = RotateOnto(picture, s.angle_deg, photo);
    name = MapBox(m, name_ink);
    picture = photo;
  }
  // An upright page stands for the exported file (no noise); a tilted one
  // for a phone photo of the printed page (sensor noise).
  if (s.angle_deg != 0) AddNoise(picture, rng.Uniform(2, 5), s.seed);

  if (s.scale != 1.0) {
    const cv::Size size(std::max(1, Round(picture.cols * s.scale)),
                        std::max(1, Round(picture.rows * s.scale)));
    const double kx = static_cast<double>(size.width) / picture.cols;
    const double ky = static_cast<double>(size.height) / picture.rows;
    cv::resize(picture, picture, size, 0, 0, s.scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    name = {name.x * kx, name.y * ky, name.width * kx, name.height * ky};
  }
  if (name_box) *name_box = ToBox(name, 3, picture.size());
  return Encode(picture, s.format == "jpg" ? "jpeg" : s.format, kWhere);
}

std::string RenderTextImage(const std::vector<std::string>& lines, const std::string& font_family,
                            double angle_deg, int width, int height) {
  constexpr std::string_view kWhere = "RenderTextImage";
  if (lines.empty()) Fail(kWhere, "no lines");
  CheckSize(width, height, kWhere);
  std::vector<std::string> parts = lines;
  parts.push_back(font_family);
  Rng rng(HashText(parts));

  Surface surface = NewSurface(CAIRO_FORMAT_RGB24, width, height, kWhere);
  Context ctx(cairo_create(surface.get()));
  cairo_t* cr = ctx.get();
  // Light backgrounds with dark text: what a printed poster or a plain
  // text meme looks like, and readable by OCR at every angle we use.
  static constexpr std::array<Rgb, 5> kBackgrounds = {{{1.00, 0.96, 0.70},
                                                       {0.85, 0.93, 1.00},
                                                       {0.90, 1.00, 0.88},
                                                       {1.00, 0.90, 0.90},
                                                       {0.97, 0.97, 0.97}}};
  static constexpr std::array<Rgb, 3> kInks = {
      {{0.05, 0.05, 0.10}, {0.40, 0.02, 0.05}, {0.02, 0.18, 0.40}}};
  SetColour(cr, rng.Pick(kBackgrounds));
  cairo_paint(cr);
  const Rgb ink = rng.Pick(kInks);
  // A frame band, like a printed notice.
  SetColour(cr, ink);
  cairo_set_line_width(cr, 0.02 * std::min(width, height));
  cairo_rectangle(cr, 0.02 * width, 0.02 * height, 0.96 * width, 0.96 * height);
  cairo_stroke(cr);

  SetFont(cr, font_family, true, false, kWhere);
  // Size the block at 100 px, then scale so the rotated block fills 85%.
  cairo_set_font_size(cr, 100);
  double block_w = 0;
  for (const std::string& l : lines) block_w = std::max(block_w, TextWidth(cr, l));
  const double line_h = 125;
  const double block_h = line_h * static_cast<double>(lines.size());
  const double a = angle_deg * kPi / 180;
  const double rw = block_w * std::abs(std::cos(a)) + block_h * std::abs(std::sin(a));
  const double rh = block_w * std::abs(std::sin(a)) + block_h * std::abs(std::cos(a));
  const double k = std::min({0.85 * width / std::max(rw, 1.0), 0.85 * height / std::max(rh, 1.0),
                             1.6});  // no more than 160 px letters
  cairo_set_font_size(cr, 100 * k);

  SetColour(cr, ink);
  cairo_translate(cr, width / 2.0, height / 2.0);
  cairo_rotate(cr, -a);  // cairo turns clockwise on screen; angles here are counter-clockwise
  const double top = -block_h * k / 2;
  for (size_t i = 0; i < lines.size(); ++i) {
    // Baseline about 80% down each line box.
    ShowCentred(cr, lines[i], 0, top + (static_cast<double>(i) + 0.8) * line_h * k);
  }
  return Encode(SurfaceToMat(surface.get()), "png", kWhere);
}

std::string RenderWork(const std::string& name, uint32_t seed, Box* name_box) {
  constexpr std::string_view kWhere = "RenderWork";
  if (name.empty()) Fail(kWhere, "empty name");
  static constexpr std::array<const char*, 5> kTitles = {"My Weekend", "The Water Cycle",
                                                         "Volcanoes", "A Letter to the Author",
                                                         "Life Cycle of a Frog"};
  static constexpr std::array<const char*, 8> kSentences = {
      "On Saturday we went to the park and fed the ducks.",
      "Water evaporates from the sea and forms clouds.",
      "When the clouds get heavy it rains on the hills.",
      "A volcano erupts when pressure builds up underground.",
      "I liked the part where the fox found his way home.",
      "The tadpoles grew legs after a few weeks.",
      "Then we had pizza for tea and watched a film.",
      "My favourite part of the book was the ending."};
  static constexpr std::array<const char*, 3> kHands = {"DejaVu Sans", "Liberation Sans",
                                                        "DejaVu Serif"};
  constexpr int w = 1000, h = 1400;
  Rng rng(seed);
  Surface surface = NewSurface(CAIRO_FORMAT_RGB24, w, h, kWhere);
  Context ctx(cairo_create(surface.get()));
  cairo_t* cr = ctx.get();

  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  // Feint ruled lines and a red margin.
  constexpr double kRule = 56, kFirstRule = 260, kMargin = 120;
  cairo_set_line_width(cr, 2);
  cairo_set_source_rgb(cr, 0.65, 0.78, 0.95);
  for (double y = kFirstRule; y < h - 40; y += kRule) {
    cairo_move_to(cr, 0, y);
    cairo_line_to(cr, w, y);
  }
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0.90, 0.30, 0.30);
  cairo_move_to(cr, kMargin, 0);
  cairo_line_to(cr, kMargin, h);
  cairo_stroke(cr);

  const std::string hand = rng.Pick(kHands);
  const Rgb ink = rng.Chance(0.5) ? Rgb{0.05, 0.10, 0.45} : Rgb{0.20, 0.20, 0.22};
  SetColour(cr, ink);
  SetFont(cr, hand, false, rng.Chance(0.5), kWhere);
  cairo_set_font_size(cr, 38);
  const TextInk label = ShowAt(cr, "Name: ", kMargin + 20, 110);
  cairo_text_extents_t e;
  cairo_text_extents(cr, "Name: ", &e);
  const TextInk ink_box = ShowAt(cr, name, label.x + e.x_advance, 110);
  ShowAt(cr, "Date: 12th March", 640, 110);

  cairo_set_font_size(cr, 46);
  const TextInk title = ShowCentred(cr, rng.Pick(kTitles), w / 2.0, 200);
  cairo_set_line_width(cr, 2.5);
  cairo_move_to(cr, title.x, 212);
  cairo_line_to(cr, title.x + title.w, 212);
  cairo_stroke(cr);

  cairo_set_font_size(cr, 30);
  const int n_lines = rng.Int(5, 9);
  for (int i = 0; i < n_lines; ++i) {
    ShowAt(cr, kSentences[rng.Index(kSentences.size())], kMargin + 20,
           kFirstRule + (i + 1) * kRule - 10);
  }
  // The teacher's marking: a red tick and "Well done!".
  cairo_set_source_rgb(cr, 0.85, 0.05, 0.05);
  cairo_set_line_width(cr, 6);
  const double ty = kFirstRule + (n_lines + 2) * kRule;
  cairo_move_to(cr, 700, ty - 20);
  cairo_line_to(cr, 725, ty + 5);
  cairo_line_to(cr, 780, ty - 55);
  cairo_stroke(cr);
  SetFont(cr, "DejaVu Sans", false, true, kWhere);
  cairo_set_font_size(cr, 34);
  ShowAt(cr, "Well done!", 560, ty + 50);

  cv::Mat picture = SurfaceToMat(surface.get());
  AddNoise(picture, 1.5, seed);
  if (name_box) {
    *name_box = ToBox({ink_box.x, ink_box.y, ink_box.w, ink_box.h}, 3, picture.size());
  }
  return Encode(picture, "png", kWhere);
}

// ---------------------------------------------------------------------------
// Faces

std::optional<std::string> SamplePicture(const std::string& file) {
  if (file.empty() || file.find('/') != std::string::npos) return std::nullopt;
  std::ifstream in(std::string(kSampleDir) + "/" + file, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const std::streamoff size = in.tellg();
  if (size <= 0) return std::nullopt;
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return std::nullopt;
  return bytes;
}

std::vector<std::string> CleanSampleNames() {
  // Checked on Debian 12's opencv-doc 4.6.0 (see the header for the checks).
  // Left out although they pass the face and OCR checks: leuvenA/B (an
  // iPhone's EXIF with a GPS position in Leuven), rubberwhale1/2 and graf1/3
  // (letters), apple, starry_night, chicky_512, aero1, aloeL/R (a single
  // cascade fires), Blender_Suzanne1/2 (a face-like head), box, box_in_scene,
  // board (printed text), left*/right* (a person).
  static constexpr std::array<const char*, 11> kClean = {
      "HappyFish.jpg", "aero3.jpg",     "baboon.jpg",      "blox.jpg",
      "building.jpg",  "butterfly.jpg", "fruits.jpg",      "home.jpg",
      "orange.jpg",    "smarties.png",  "squirrel_cls.jpg"};
  std::vector<std::string> out;
  for (const char* f : kClean) {
    std::ifstream in(std::string(kSampleDir) + "/" + f, std::ios::binary);
    if (in) out.emplace_back(f);
  }
  return out;
}

double IoU(const Box& a, const Box& b) {
  const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return 0;
  const double inter = static_cast<double>(x1 - x0) * (y1 - y0);
  const double uni = static_cast<double>(a.w) * a.h + static_cast<double>(b.w) * b.h - inter;
  return uni > 0 ? inter / uni : 0;
}

std::optional<std::vector<Box>> TwoCascadeFaces(const std::string& bytes, bool equalize) {
  std::optional<Cascades> cascades = LoadCascades();
  if (!cascades) return std::nullopt;
  const cv::Mat m = Decode(bytes, cv::IMREAD_COLOR, "TwoCascadeFaces", "the bytes");
  std::vector<cv::Rect> alt2, def;
  DetectBoth(*cascades, m, equalize, alt2, def);
  return Agreed(alt2, def);
}

std::optional<FacePhoto> ComposeFaces(int n, uint32_t seed) {
  constexpr std::string_view kWhere = "ComposeFaces";
  if (n < 0 || n > 6) Fail(kWhere, "n = " + std::to_string(n) + " is outside 0..6");
  std::vector<cv::Mat> sources;
  for (const FaceSource& s : kFaceSources) {
    std::optional<cv::Mat> m = ReadSample(s.file);
    if (!m) return std::nullopt;
    sources.push_back(std::move(*m));
  }
  std::optional<Cascades> cascades = LoadCascades();
  if (!cascades) return std::nullopt;

  Rng rng(seed);
  for (int attempt = 0; attempt < 40; ++attempt) {
    std::optional<cv::Mat> bg = ReadSample(rng.Pick(kFaceBackgrounds));
    if (!bg) return std::nullopt;
    const cv::Mat background = Cover(*bg, cv::Size(kFaceCanvasW, kFaceCanvasH));
    cv::Mat photo;
    std::vector<Box> faces;
    if (!ComposeOnce(n, rng, sources, background, photo, faces)) continue;
    // Keep the candidate only if each cascade on its own, with and without
    // equalisation, finds exactly the pasted faces.
    bool ok = true;
    for (bool equalize : {false, true}) {
      std::vector<cv::Rect> alt2, def;
      DetectBoth(*cascades, photo, equalize, alt2, def);
      ok = ExactlyThese(alt2, faces) && ExactlyThese(def, faces);
      if (!ok) break;  // each pass costs ~0.6 s: stop at the first miss
    }
    if (!ok) continue;
    return FacePhoto{Encode(photo, "png", kWhere), std::move(faces)};
  }
  Fail(kWhere, "no candidate with exactly " + std::to_string(n) + " detectable faces for seed " +
                   std::to_string(seed));
}

// ---------------------------------------------------------------------------
// Logos

std::string RenderLogo(const std::string& initials, uint32_t seed, int size, bool transparent) {
  constexpr std::string_view kWhere = "RenderLogo";
  if (initials.empty()) Fail(kWhere, "empty initials");
  if (size < 64 || size > 4000) Fail(kWhere, "size outside 64..4000");
  Rng rng(seed);
  const LogoColours& c = rng.Pick(kLogoColours);
  const bool shield = rng.Chance(0.6);
  const double s = size;

  Surface surface =
      NewSurface(transparent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, size, size, kWhere);
  Context ctx(cairo_create(surface.get()));
  cairo_t* cr = ctx.get();
  if (!transparent) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
  }
  auto outline = [&] { shield ? ShieldPath(cr, s) : RoundelPath(cr, s); };

  // The field, then everything else clipped to it.
  outline();
  SetColour(cr, c.field);
  cairo_fill(cr);
  cairo_save(cr);
  outline();
  cairo_clip(cr);
  // Diagonal stripes over the upper left, a chequer over the lower right:
  // many strong corners, so ORB has plenty to match.
  SetColour(cr, c.stripe);
  const double stripe = s * rng.Uniform(0.035, 0.055);
  const double tilt = rng.Chance(0.5) ? 1 : -1;
  cairo_save(cr);
  cairo_rectangle(cr, 0, 0, s / 2, s / 2);
  cairo_clip(cr);
  for (double off = -s; off < s; off += 2 * stripe) {
    cairo_move_to(cr, s / 4 + off, 0);
    cairo_line_to(cr, s / 4 + off + stripe, 0);
    cairo_line_to(cr, s / 4 + off + stripe + tilt * s / 2, s / 2);
    cairo_line_to(cr, s / 4 + off + tilt * s / 2, s / 2);
    cairo_close_path(cr);
  }
  cairo_fill(cr);
  cairo_restore(cr);
  const int cells = rng.Int(5, 7);
  const double cell = (s / 2) / cells;
  for (int i = 0; i < cells; ++i) {
    for (int j = 0; j < cells; ++j) {
      if ((i + j) % 2) cairo_rectangle(cr, s / 2 + i * cell, s / 2 + j * cell, cell, cell);
    }
  }
  cairo_fill(cr);
  // A chevron across the middle.
  SetColour(cr, c.charge);
  const double cy = s * rng.Uniform(0.58, 0.66), th = s * 0.07;
  cairo_move_to(cr, 0, cy + s * 0.25);
  cairo_line_to(cr, s / 2, cy - s * 0.1);
  cairo_line_to(cr, s, cy + s * 0.25);
  cairo_line_to(cr, s, cy + s * 0.25 + th);
  cairo_line_to(cr, s / 2, cy - s * 0.1 + th);
  cairo_line_to(cr, 0, cy + s * 0.25 + th);
  cairo_close_path(cr);
  cairo_fill(cr);
  // Stars in the upper right.
  const int stars = rng.Int(2, 3);
  for (int i = 0; i < stars; ++i) {
    StarPath(cr, s * (0.58 + 0.12 * i), s * (0.22 + 0.08 * (i % 2)), s * 0.05, s * 0.02,
             rng.Uniform(-0.3, 0.3));
  }
  cairo_fill(cr);
  cairo_restore(cr);

  // A dark outline and an inner ring.
  SetColour(cr, c.dark);
  cairo_set_line_width(cr, s * 0.025);
  outline();
  cairo_stroke(cr);

  // The initials on a plate in the middle.
  const double plate_r = s * 0.17;
  cairo_arc(cr, s / 2, s * 0.45, plate_r, 0, 2 * kPi);
  SetColour(cr, c.dark);
  cairo_fill_preserve(cr);
  SetColour(cr, c.stripe);
  cairo_set_line_width(cr, s * 0.012);
  cairo_stroke(cr);
  SetFont(cr, "DejaVu Sans", true, false, kWhere);
  cairo_set_font_size(cr, s * 0.16);
  if (const double tw = TextWidth(cr, initials); tw > 1.6 * plate_r) {
    cairo_set_font_size(cr, s * 0.16 * 1.6 * plate_r / tw);
  }
  cairo_text_extents_t e;
  cairo_text_extents(cr, initials.c_str(), &e);
  SetColour(cr, {1, 1, 1});
  ShowCentred(cr, initials, s / 2, s * 0.45 - (e.y_bearing + e.height / 2));
  return Encode(SurfaceToMat(surface.get()), "png", kWhere);
}

std::string PlaceLogo(const std::string& scene_bytes, const std::string& logo_bytes, double scale,
                      double angle_deg, int x, int y, Box* placed) {
  constexpr std::string_view kWhere = "PlaceLogo";
  if (!(scale >= 0.01 && scale <= 10)) Fail(kWhere, "scale outside 0.01..10");
  cv::Mat scene = Decode(scene_bytes, cv::IMREAD_COLOR, kWhere, "the scene bytes");
  const cv::Mat logo_raw = Decode(logo_bytes, cv::IMREAD_UNCHANGED, kWhere, "the logo bytes");
  if (logo_raw.depth() != CV_8U) Fail(kWhere, "the logo is not 8 bits per channel");

  // Colour and alpha apart; a logo without alpha is opaque.
  cv::Mat logo, alpha;
  switch (logo_raw.channels()) {
    case 1:
      cv::cvtColor(logo_raw, logo, cv::COLOR_GRAY2BGR);
      break;
    case 3:
      logo = logo_raw;
      break;
    case 4: {
      cv::cvtColor(logo_raw, logo, cv::COLOR_BGRA2BGR);
      cv::extractChannel(logo_raw, alpha, 3);
      break;
    }
    default:
      Fail(kWhere, "the logo has " + std::to_string(logo_raw.channels()) + " channels");
  }
  if (alpha.empty()) alpha = cv::Mat(logo.size(), CV_8UC1, cv::Scalar(255));

  const cv::Size scaled(std::max(1, Round(logo.cols * scale)),
                        std::max(1, Round(logo.rows * scale)));
  const int interp = scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC;
  cv::resize(logo, logo, scaled, 0, 0, interp);
  cv::resize(alpha, alpha, scaled, 0, 0, interp);

  // Rotate onto a canvas just big enough, colour and alpha alike.
  const double a = angle_deg * kPi / 180;
  const int rw =
      Round(scaled.width * std::abs(std::cos(a)) + scaled.height * std::abs(std::sin(a)));
  const int rh =
      Round(scaled.width * std::abs(std::sin(a)) + scaled.height * std::abs(std::cos(a)));
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(scaled.width) / 2.0f,
                                                  static_cast<float>(scaled.height) / 2.0f),
                                      angle_deg, 1.0);
  m.at<double>(0, 2) += (rw - scaled.width) / 2.0;
  m.at<double>(1, 2) += (rh - scaled.height) / 2.0;
  cv::Mat rot, rot_alpha;
  cv::warpAffine(logo, rot, m, cv::Size(rw, rh), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::warpAffine(alpha, rot_alpha, m, cv::Size(rw, rh), cv::INTER_LINEAR, cv::BORDER_CONSTANT);

  const cv::Rect where(x - rw / 2, y - rh / 2, rw, rh);
  const cv::Rect clipped = where & cv::Rect(0, 0, scene.cols, scene.rows);
  if (clipped.area() == 0) Fail(kWhere, "the logo lands entirely outside the scene");
  const cv::Rect src(clipped.x - where.x, clipped.y - where.y, clipped.width, clipped.height);
  cv::Mat weights, inverse;
  rot_alpha(src).convertTo(weights, CV_32FC1, 1.0 / 255);
  inverse = 1.0 - weights;
  cv::Mat roi = scene(clipped);
  cv::blendLinear(rot(src), roi, weights, inverse, roi);
  if (placed) *placed = FromRect(clipped);
  return Encode(scene, "png", kWhere);
}

// ---------------------------------------------------------------------------
// Metadata
//
// Verified (tests/unit/testimg/test_images_test.cc, exiv2 0.27.6): WithExif on
// a JPEG from cv::imencode reads back through Exiv2::ImageFactory::open with
// every field equal, GPS to 0.00001 degree (the hundredths of a second
// written); WithXmpGps reads back as the two Xmp.exif strings; OpenCV still
// decodes both files to the same pixels.

namespace {

bool IsJpeg(const std::string& b) {
  return b.size() > 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
         static_cast<unsigned char>(b[1]) == 0xD8;
}

// Degrees as EXIF wants them: three rationals, degrees/1 minutes/1
// hundredths-of-seconds/100.
std::string DmsRationals(double degrees) {
  const double v = std::abs(degrees);
  auto d = static_cast<long>(v);
  auto m = static_cast<long>((v - static_cast<double>(d)) * 60);
  long cs = std::lround(((v - static_cast<double>(d)) * 60 - static_cast<double>(m)) * 60 * 100);
  if (cs >= 6000) cs -= 6000, ++m;  // rounding carried into the next minute
  if (m >= 60) m -= 60, ++d;
  return std::to_string(d) + "/1 " + std::to_string(m) + "/1 " + std::to_string(cs) + "/100";
}

// XMP's "DDD,MM.mmmmmmK" form.
std::string XmpCoordinate(double degrees, char pos, char neg) {
  const double v = std::abs(degrees);
  const auto d = static_cast<long>(v);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%ld,%.6f%c", d, (v - static_cast<double>(d)) * 60,
                degrees >= 0 ? pos : neg);
  return buf;
}

void CheckPosition(double lat, double lon, std::string_view where) {
  if (!(std::abs(lat) <= 90) || !(std::abs(lon) <= 180)) {
    Fail(where, "position out of range (latitude within 90, longitude within 180)");
  }
}

bool IsExifDateTime(const std::string& s) {
  static constexpr std::string_view kShape = "dddd:dd:dd dd:dd:dd";
  if (s.size() != kShape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (kShape[i] == 'd' ? !digit : s[i] != kShape[i]) return false;
  }
  return true;
}

// Runs `edit` on the image's metadata and returns the rewritten file.
template <typename Edit>
std::string RewriteJpeg(const std::string& jpeg, std::string_view where, Edit edit) {
  if (!IsJpeg(jpeg)) Fail(where, "the bytes are not a JPEG");
  try {
    // Image::AutoPtr is std::auto_ptr in exiv2 0.27; `auto` keeps the
    // deprecated name out of this file.
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(jpeg.data()),
                                           static_cast<long>(jpeg.size()));
    if (image.get() == nullptr) Fail(where, "exiv2 does not recognise the bytes");
    image->readMetadata();
    edit(*image);
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    const Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
    return std::string(reinterpret_cast<const char*>(buf.pData_), static_cast<size_t>(buf.size_));
  } catch (const Exiv2::AnyError& e) {
    Fail(where, std::string("exiv2: ") + e.what());
  }
}

}  // namespace

std::string WithExif(const std::string& jpeg_bytes, const ExifSpec& spec) {
  constexpr std::string_view kWhere = "WithExif";
  if (spec.gps) CheckPosition(spec.gps->first, spec.gps->second, kWhere);
  if (!spec.datetime_original.empty() && !IsExifDateTime(spec.datetime_original)) {
    Fail(kWhere,
         "datetime_original '" + spec.datetime_original + "' is not \"YYYY:MM:DD HH:MM:SS\"");
  }
  return RewriteJpeg(jpeg_bytes, kWhere, [&](Exiv2::Image& image) {
    Exiv2::ExifData exif = image.exifData();
    if (!spec.make.empty()) exif["Exif.Image.Make"] = spec.make;
    if (!spec.model.empty()) exif["Exif.Image.Model"] = spec.model;
    if (!spec.software.empty()) exif["Exif.Image.Software"] = spec.software;
    if (!spec.serial.empty()) exif["Exif.Photo.BodySerialNumber"] = spec.serial;
    if (spec.orientation >= 1 && spec.orientation <= 8) {
      exif["Exif.Image.Orientation"] = static_cast<uint16_t>(spec.orientation);
    }
    if (!spec.datetime_original.empty()) {
      exif["Exif.Photo.DateTimeOriginal"] = spec.datetime_original;
    }
    if (spec.gps) {
      const auto [lat, lon] = *spec.gps;
      auto version = Exiv2::Value::create(Exiv2::unsignedByte);
      version->read("2 3 0 0");
      exif["Exif.GPSInfo.GPSVersionID"] = *version;
      exif["Exif.GPSInfo.GPSLatitudeRef"] = std::string(lat >= 0 ? "N" : "S");
      Exiv2::URationalValue lat_v;
      lat_v.read(DmsRationals(lat));
      exif["Exif.GPSInfo.GPSLatitude"] = lat_v;
      exif["Exif.GPSInfo.GPSLongitudeRef"] = std::string(lon >= 0 ? "E" : "W");
      Exiv2::URationalValue lon_v;
      lon_v.read(DmsRationals(lon));
      exif["Exif.GPSInfo.GPSLongitude"] = lon_v;
    }
    image.setExifData(exif);
  });
}

std::string WithXmpGps(const std::string& jpeg_bytes, double lat, double lon) {
  constexpr std::string_view kWhere = "WithXmpGps";
  CheckPosition(lat, lon, kWhere);
  return RewriteJpeg(jpeg_bytes, kWhere, [&](Exiv2::Image& image) {
    Exiv2::XmpData xmp = image.xmpData();
    xmp["Xmp.exif.GPSVersionID"] = std::string("2.3.0.0");
    xmp["Xmp.exif.GPSLatitude"] = XmpCoordinate(lat, 'N', 'S');
    xmp["Xmp.exif.GPSLongitude"] = XmpCoordinate(lon, 'E', 'W');
    image.setXmpData(xmp);
  });
}

// ---------------------------------------------------------------------------
// Bad pictures

std::string Truncated(const std::string& bytes, double keep_fraction) {
  if (!(keep_fraction >= 0 && keep_fraction < 1)) {
    Fail("Truncated", "keep_fraction outside [0, 1)");
  }
  if (bytes.empty()) return bytes;
  const auto keep = static_cast<size_t>(static_cast<double>(bytes.size()) * keep_fraction);
  return bytes.substr(0, std::min(keep, bytes.size() - 1));
}

std::string PngBomb(uint32_t width, uint32_t height, int bit_depth) {
  constexpr std::string_view kWhere = "PngBomb";
  if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) {
    Fail(kWhere, "dimensions must be 1..2^31-1 (PNG's limit)");
  }
  if (bit_depth != 1 && bit_depth != 8) Fail(kWhere, "bit_depth must be 1 or 8");
  const uint64_t row_bytes =
      1 + (static_cast<uint64_t>(width) * static_cast<uint64_t>(bit_depth) + 7) / 8;
  std::string out = PngSignatureAndHeader(width, height, bit_depth);
  PngChunk(out, "IDAT", DeflateZeroRows(height, row_bytes, kWhere));
  PngChunk(out, "IEND", "");
  return out;
}

std::string PngHeaderBomb(uint32_t width, uint32_t height) {
  constexpr std::string_view kWhere = "PngHeaderBomb";
  if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) {
    Fail(kWhere, "dimensions must be 1..2^31-1 (PNG's limit)");
  }
  std::string out = PngSignatureAndHeader(width, height, 8);
  PngChunk(out, "IDAT", DeflateZeroRows(1, 1 + static_cast<uint64_t>(width), kWhere));
  PngChunk(out, "IEND", "");
  return out;
}

std::string JpegHeaderOnly(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0 || width > 65535 || height > 65535) {
    Fail("JpegHeaderOnly", "dimensions must be 1..65535 (JPEG's limit)");
  }
  std::string out("\xFF\xD8", 2);     // SOI
  out += std::string("\xFF\xC0", 2);  // SOF0, baseline
  PutBe16(out, 11);                   // length: 8 + 3 per component
  out.push_back(8);                   // sample precision
  PutBe16(out, height);
  PutBe16(out, width);
  out.push_back(1);                       // one component (grey)
  out += std::string("\x01\x11\x00", 3);  // id 1, sampling 1x1, quantisation table 0
  out += std::string("\xFF\xD9", 2);      // EOI
  return out;
}

std::string GifBomb(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0 || width > 65535 || height > 65535) {
    Fail("GifBomb", "dimensions must be 1..65535 (GIF's limit)");
  }
  std::string out = "GIF89a";
  PutLe16(out, width);  // logical screen
  PutLe16(out, height);
  out.push_back(static_cast<char>(0x80));  // global colour table of 2 entries
  out.push_back(0);                        // background colour index
  out.push_back(0);                        // aspect ratio
  out += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);
  out.push_back(0x2C);  // image descriptor
  PutLe16(out, 0);
  PutLe16(out, 0);
  PutLe16(out, width);
  PutLe16(out, height);
  out.push_back(0);  // no local table, not interlaced
  // LZW minimum code size 2; codes are 3 bits: clear (4) then end (5),
  // packed least significant bit first: 100 + 101 << 3 = 0x2C.
  out.push_back(2);
  out += std::string("\x01\x2C\x00", 3);  // one sub-block of one byte, then the terminator
  out.push_back(0x3B);                    // trailer
  return out;
}

std::string NotAnImage() {
  // Starts like an ELF executable and goes on as text: no picture format's
  // magic number, whatever the file is called.
  std::string out(
      "\x7F"
      "ELF\x02\x01\x01\x00",
      8);
  out.append(8, '\0');
  out += "This is not a picture. It was saved with a .jpg name by mistake.\n";
  return out;
}

// ---------------------------------------------------------------------------
// Names

std::vector<std::pair<std::string, std::string>> EvalNames(size_t n, uint32_t seed) {
  return DrawNames(kFirstNames, kSurnames, n, seed, "EvalNames");
}

std::vector<std::pair<std::string, std::string>> DecoyNames(size_t n, uint32_t seed) {
  return DrawNames(kDecoyFirst, kDecoySurnames, n, seed ^ 0xDEC0Du, "DecoyNames");
}

}  // namespace gh::testimg

// Under AddressSanitizer, LeakSanitizer reports fontconfig's caches (the font
// patterns cairo looks up, one set per family and style, kept until exit) as
// leaks, which would fail every sanitised test binary that draws text. They
// are bounded, not per call (1, 6 and 30 certificates leave the same 4.7 KB in
// 62 blocks; cairo_debug_reset_static_data() plus FcFini() at exit frees them
// all), so they are suppressed here rather than freed: FcFini at exit would
// pull fontconfig from under any other user in the process.
#if defined(__SANITIZE_ADDRESS__)
#define GH_TESTIMG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GH_TESTIMG_ASAN 1
#endif
#endif
#ifdef GH_TESTIMG_ASAN
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
