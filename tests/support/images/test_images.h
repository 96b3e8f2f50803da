// Test pictures for the image analysis (OCR, faces, EXIF, logos), built in
// the tests rather than committed: certificates and pupil work carrying a
// name, posters, photos with a known number of faces, crest-like logos, EXIF
// and XMP metadata, and malformed or hostile files.
//
// Everything here is deterministic: the same arguments (seed included) give
// the same bytes on the same library versions (cairo, fontconfig's fonts,
// OpenCV's codecs and exiv2 can change a few pixels or bytes between
// versions; nothing checks exact bytes).
//
// Errors. Functions that build a picture from their arguments alone throw
// std::runtime_error with a message naming the function and the bad argument
// (an empty name, a font that is not installed, bytes that do not decode).
// Functions that need Debian's sample pictures (the opencv-doc package,
// kSampleDir) return std::nullopt when the folder or file is absent, so a
// test can GTEST_SKIP instead of failing on a machine without it.
//
// Sources used (Debian 12 packages): fonts-dejavu-core, fonts-liberation2
// (through cairo and fontconfig); opencv-doc's examples/data pictures;
// opencv-data's Haar cascades (for the reference face rule below).
//
// Thread-safety: no shared mutable state; functions may run concurrently,
// except WithXmpGps, whose first call initialises exiv2's XMP toolkit.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gh::testimg {

// Where Debian's opencv-doc package puts OpenCV's sample pictures.
inline constexpr const char* kSampleDir = "/usr/share/doc/opencv-doc/examples/data";
// Where opencv-data puts the Haar cascades.
inline constexpr const char* kCascadeDir = "/usr/share/opencv4/haarcascades";

// splitmix64: tiny, and the same sequence on every platform (the standard
// distributions are not specified bit for bit, so std::mt19937 plus
// std::uniform_int_distribution could differ between standard libraries).
class Rng {
 public:
  // `salt` keeps different users' sequences apart for the same seed.
  explicit Rng(uint64_t seed, uint64_t salt = 0x5DEECE66Dull) : state_(seed ^ salt) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }
  // Uniform in [lo, hi], both included.
  int Int(int lo, int hi) {
    const auto span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo + 1);
    return static_cast<int>(lo + static_cast<int64_t>(Next() % span));
  }
  size_t Index(size_t n) { return static_cast<size_t>(Next() % n); }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& a) {
    return a[Index(N)];
  }

 private:
  uint64_t state_;
};

// A rectangle in pixels of the final (encoded) picture.
struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// ---------------------------------------------------------------------------
// Text

struct CertificateSpec {
  std::string name;                         // the pupil's full name, printed large
  std::string heading;                      // e.g. "Star of the Week"; empty: chosen by seed
  std::string font_family = "DejaVu Sans";  // a fontconfig family name
  bool bold = false;
  bool italic = false;
  // The whole page is rotated by this angle (degrees, counter-clockwise) onto
  // a larger neutral background, like a photo of a certificate held at an
  // angle. 0 gives the bare page.
  double angle_deg = 0;
  int width = 1200;  // the page before rotation and scaling
  int height = 850;
  std::string format = "png";  // "png" or "jpeg" (quality 85)
  double scale = 1.0;          // the final picture is resized by this (0.05..4)
  uint32_t seed = 1;           // colours, border, wording, date, background; noise when tilted
};

// A certificate: border, heading, "This certificate is awarded to", the name,
// a line such as "for outstanding effort in maths", a date and "Mrs Patel,
// Headteacher". Upright (angle_deg 0) it is the exported file: exactly
// width x height, no noise. Tilted it is a phone photo: the rotated page's
// bounding box plus a 6% margin on a table-top colour, with sensor noise
// (sigma 2..5). Either way then resized by scale.
// `name_box`, when given, receives the name's ink bounding box in the final
// picture (after rotation and scaling; a few pixels of padding).
// Throws std::runtime_error for an empty name, a size under 200 x 150 or over
// 8000 x 8000, a scale outside 0.05..4, an unknown format, or a font family
// fontconfig does not have (it would silently substitute another).
std::string RenderCertificate(const CertificateSpec& spec, Box* name_box = nullptr);

// A poster or meme: `lines` centred on a coloured background, as large as
// fits, the block of text rotated by angle_deg within the width x height
// picture. PNG. Throws std::runtime_error as RenderCertificate does (and for
// no lines at all).
std::string RenderTextImage(const std::vector<std::string>& lines, const std::string& font_family,
                            double angle_deg, int width, int height);

// A piece of pupil work: lined paper with a margin, "Name: <name>" at the
// top, a title and a few lines of writing. 1000 x 1400 PNG. `name_box` as for
// RenderCertificate (the name only, not "Name:"). Throws for an empty name.
std::string RenderWork(const std::string& name, uint32_t seed, Box* name_box = nullptr);

// ---------------------------------------------------------------------------
// Faces

struct FacePhoto {
  std::string bytes;       // PNG
  std::vector<Box> faces;  // where each pasted face is (the detector's box, scaled)
};

// A 1024 x 768 photo with exactly n faces (0..6): heads cut from the sample
// pictures (basketball1.png and messi5.jpg, 1.8x the face box so the whole
// head comes along) pasted with soft edges onto a sample background
// (building, home, fruits, leuvenA...), each face 60-140 px, no two heads
// overlapping, some mirrored. Each candidate is checked with TwoCascadeFaces
// (with and without histogram equalisation) and redrawn, deterministically,
// until exactly the n pasted faces are found and nothing else; `faces` are
// the pasted boxes. About 1.5 s a call (each check runs four cascade passes
// over 1024 x 768). nullopt when the sample pictures or cascades are absent.
// Throws std::runtime_error for n outside 0..6, or when no candidate passes
// in 40 attempts (has not happened for seeds 0..59, n 0..6).
std::optional<FacePhoto> ComposeFaces(int n, uint32_t seed);

// The bytes of kSampleDir/file; nullopt when it cannot be read.
std::optional<std::string> SamplePicture(const std::string& file);

// Sample pictures without faces, words or telling metadata, for "clean"
// images: checked with TwoCascadeFaces' parameters (equalised or not, every
// raw detection of either cascade counted, not only agreed ones: none),
// Tesseract (no word of 3+ letters at confidence 50+, at 1x and 2x), exiv2 (no
// camera, serial or GPS tags), and by eye (no lettering, no people). Only the
// names whose file exists are listed; empty without opencv-doc.
std::vector<std::string> CleanSampleNames();

// The reference face rule the fixtures are checked against: grey, optionally
// histogram-equalised, haarcascade_frontalface_alt2 and _default, each with
// scaleFactor 1.1, minNeighbors 4, minimum size max(24, min(w, h) / 20); a
// face counts only where a box of each cascade overlaps with IoU >= 0.3 (the
// alt2 box is returned). nullopt when the cascades are absent; throws
// std::runtime_error when `bytes` do not decode.
std::optional<std::vector<Box>> TwoCascadeFaces(const std::string& bytes, bool equalize);

// Boxes' intersection over union (0 when either is empty).
double IoU(const Box& a, const Box& b);

// ---------------------------------------------------------------------------
// Logos

// A crest-like logo: a shield or roundel, diagonal stripes, a chevron or
// stars, a ring, and the initials in bold; size x size PNG. On white, or on a
// transparent background (4-channel PNG) when `transparent`. ORB
// (cv::ORB::create(1000)) finds 725..922 keypoints at 400 px for seeds 0..49
// (308..518 at 200 px).
// Throws for empty initials or size outside 64..4000.
std::string RenderLogo(const std::string& initials, uint32_t seed, int size = 400,
                       bool transparent = false);

// `logo_bytes` scaled by `scale`, rotated by angle_deg (counter-clockwise)
// and pasted with its centre at (x, y) of `scene_bytes` (clipped at the
// edges; a 4-channel logo is blended by its alpha). PNG. `placed`, when given,
// receives the pasted region's bounding box, clipped to the scene. Throws
// std::runtime_error when either does not decode, scale is outside 0.01..10,
// or the logo would land entirely outside the scene.
std::string PlaceLogo(const std::string& scene_bytes, const std::string& logo_bytes, double scale,
                      double angle_deg, int x, int y, Box* placed = nullptr);

// ---------------------------------------------------------------------------
// Metadata

struct ExifSpec {
  std::optional<std::pair<double, double>> gps;  // latitude, longitude in degrees
  std::string make, model, serial;
  std::string datetime_original;  // "2026:05:01 14:03:00"
  std::string software;
  int orientation = 0;  // Exif.Image.Orientation when 1-8
};

// `jpeg_bytes` with the EXIF of `spec` written by exiv2 (empty fields are left
// out; existing EXIF is kept): Exif.Image.Make, .Model, .Software,
// Exif.Photo.BodySerialNumber, .DateTimeOriginal, and Exif.GPSInfo
// (GPSVersionID 2.3, GPSLatitude/GPSLongitude as degrees, minutes and
// hundredths of seconds, GPSLatitudeRef N/S, GPSLongitudeRef E/W). Throws
// std::runtime_error when the bytes are not a JPEG, a field is out of range
// (|lat| > 90, |lon| > 180, datetime not "YYYY:MM:DD HH:MM:SS") or exiv2
// fails.
std::string WithExif(const std::string& jpeg_bytes, const ExifSpec& spec);

// `jpeg_bytes` with an XMP packet holding only the position
// (Xmp.exif.GPSLatitude "51,30.1234N", Xmp.exif.GPSLongitude "0,7.5678W"),
// the form phone editors write when they strip EXIF. Throws as WithExif does.
std::string WithXmpGps(const std::string& jpeg_bytes, double lat, double lon);

// ---------------------------------------------------------------------------
// Bad pictures

// The first keep_fraction of `bytes` (0 <= keep_fraction < 1), always at
// least one byte shorter than `bytes` (empty stays empty).
std::string Truncated(const std::string& bytes, double keep_fraction);

// A valid, complete PNG declaring width x height, every pixel black, with the
// image data deflated row by row (the full picture is never in memory).
// Deflate cannot beat about 1030:1, so the file is about
// height * (1 + width * bit_depth / 8) / 1030 bytes: with bit_depth 1 (the
// default), 20000 x 20000 is ~49 KB and 50000 x 50000 ~300 KB; with 8, 8000 x
// 8000 is ~62 KB and 50000 x 50000 ~2.4 MB (and takes a few seconds). A
// decoder that expands to 8-bit pixels allocates width * height bytes or more.
// bit_depth is 1 or 8 (greyscale). Throws for a zero or > 2^31-1 dimension.
std::string PngBomb(uint32_t width, uint32_t height, int bit_depth = 1);

// A tiny PNG (~100 bytes) whose IHDR declares width x height 8-bit grey but
// whose image data stops after one row: a header-level bomb that a decoder
// allocating from IHDR falls for before finding the data short.
std::string PngHeaderBomb(uint32_t width, uint32_t height);

// SOI, a baseline SOF0 declaring width x height (1..65535) greyscale, EOI: no
// tables, no scan. Throws for a zero or too large dimension.
std::string JpegHeaderOnly(uint32_t width, uint32_t height);

// A GIF89a whose screen and single frame declare width x height (1..65535)
// with a two-colour table and LZW data of only a clear and an end code:
// decoders that allocate the frame from the descriptor fall for it.
std::string GifBomb(uint32_t width, uint32_t height);

// Bytes that are no picture format: an ELF-like header followed by text.
std::string NotAnImage();

// ---------------------------------------------------------------------------
// Names for the accuracy evaluation

// n distinct (first, last) pairs of plausible UK names of varied origins,
// from fixed lists of 70+ first names and 70+ surnames (none an ordinary
// English word, none "Patel", who signs the certificates), deterministic by
// seed. Throws std::runtime_error when n exceeds the distinct pairs possible.
std::vector<std::pair<std::string, std::string>> EvalNames(size_t n, uint32_t seed);

// n distinct pairs whose first names and surnames appear nowhere in
// EvalNames' lists: names on certificates that must NOT match the register.
std::vector<std::pair<std::string, std::string>> DecoyNames(size_t n, uint32_t seed);

}  // namespace gh::testimg
