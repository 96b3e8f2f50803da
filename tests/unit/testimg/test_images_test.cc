// The test pictures themselves (support/images/test_images.h): that they
// decode, have the promised size, carry what they claim (a name Tesseract
// reads back, faces both Haar cascades find, EXIF exiv2 reads back, an ORB-
// matchable logo), and that the hostile files are small and say what they say.
#include "support/images/test_images.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <exiv2/exiv2.hpp>
#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#ifdef GH_TESTIMG_HAVE_TESSERACT
#include <tesseract/baseapi.h>
#endif

namespace gh::testimg {
namespace {

cv::Mat Decode(const std::string& bytes, int flags = cv::IMREAD_COLOR) {
  if (bytes.empty()) return {};
  const std::vector<uchar> buf(bytes.begin(), bytes.end());
  return cv::imdecode(buf, flags);
}

bool Inside(const Box& b, const cv::Mat& m) {
  return b.w > 0 && b.h > 0 && b.x >= 0 && b.y >= 0 && b.x + b.w <= m.cols && b.y + b.h <= m.rows;
}

uint32_t Be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// Runs of whitespace (Tesseract's line breaks included) as one space.
std::string Squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

#ifdef GH_TESTIMG_HAVE_TESSERACT
// What Tesseract reads, set up as the brief for src/vision does it: English,
// automatic page segmentation, 300 dpi assumed (silences the "invalid
// resolution" warning of pictures without a density).
std::string Ocr(const cv::Mat& bgr) {
  tesseract::TessBaseAPI api;
  if (api.Init(nullptr, "eng") != 0) return "<tesseract has no eng data>";
  api.SetPageSegMode(tesseract::PSM_AUTO);
  api.SetVariable("user_defined_dpi", "300");
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  api.SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  std::unique_ptr<char[]> text(api.GetUTF8Text());
  api.End();
  return Squash(text ? text.get() : "");
}
#define SKIP_WITHOUT_TESSERACT()
#else
#define SKIP_WITHOUT_TESSERACT() GTEST_SKIP() << "built without tesseract"
std::string Ocr(const cv::Mat&) { return ""; }
#endif

// ---------------------------------------------------------------------------
// Certificates, posters, work

TEST(Certificate, DecodesAtTheRequestedSize) {
  CertificateSpec s;
  s.name = "Aisha Okonkwo";
  Box box;
  const cv::Mat m = Decode(RenderCertificate(s, &box));
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.cols, 1200);
  EXPECT_EQ(m.rows, 850);
  EXPECT_TRUE(Inside(box, m)) << box.x << "," << box.y << " " << box.w << "x" << box.h;
  // The name is large and central.
  EXPECT_GT(box.h, 40);
  EXPECT_NEAR(box.x + box.w / 2, 600, 10);

  s.width = 800;
  s.height = 600;
  s.scale = 0.5;
  s.format = "jpeg";
  const std::string jpeg = RenderCertificate(s, &box);
  ASSERT_GE(jpeg.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(jpeg[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(jpeg[1]), 0xD8);
  const cv::Mat small = Decode(jpeg);
  EXPECT_EQ(small.cols, 400);
  EXPECT_EQ(small.rows, 300);
  EXPECT_TRUE(Inside(box, small));
}

TEST(Certificate, RotatedPageIsLargerAndTheNameBoxFollows) {
  CertificateSpec s;
  s.name = "Harvey Wainwright";
  s.font_family = "Liberation Serif";
  s.angle_deg = 20;
  s.scale = 0.7;
  s.seed = 5;
  Box box;
  const cv::Mat m = Decode(RenderCertificate(s, &box));
  ASSERT_FALSE(m.empty());
  EXPECT_GT(m.cols, 840);
  EXPECT_GT(m.rows, 595);
  EXPECT_TRUE(Inside(box, m));
  // Rotated by 20 degrees, the name's box is much taller than its letters.
  EXPECT_GT(box.h, box.w / 4);
}

TEST(Certificate, RefusesBadSpecs) {
  CertificateSpec s;
  EXPECT_THROW(RenderCertificate(s), std::runtime_error);  // no name
  s.name = "Zofia Kowalczyk";
  s.font_family = "No Such Font Family";
  EXPECT_THROW(RenderCertificate(s), std::runtime_error);
  s.font_family = "DejaVu Serif";
  s.format = "gif";
  EXPECT_THROW(RenderCertificate(s), std::runtime_error);
  s.format = "png";
  s.scale = 0;
  EXPECT_THROW(RenderCertificate(s), std::runtime_error);
}

TEST(Certificate, SameSpecSameBytes) {
  CertificateSpec s;
  s.name = "Rhys Pritchard";
  s.angle_deg = -12;
  s.seed = 9;
  EXPECT_EQ(RenderCertificate(s), RenderCertificate(s));
}

TEST(Certificate, TesseractReadsTheNameBack) {
  SKIP_WITHOUT_TESSERACT();
  CertificateSpec s;
  s.name = "Aisha Okonkwo";
  s.font_family = "DejaVu Sans";
  Box box;
  const cv::Mat m = Decode(RenderCertificate(s, &box));
  ASSERT_FALSE(m.empty());
  const std::string text = Ocr(m);
  EXPECT_NE(text.find("Aisha Okonkwo"), std::string::npos) << text;
  // The box holds the name and only the name.
  const std::string in_box = Ocr(m(cv::Rect(box.x, box.y, box.w, box.h)));
  EXPECT_EQ(in_box.substr(0, 13), "Aisha Okonkwo") << in_box;
}

// Every font the evaluation uses, upright, read back in full.
TEST(Certificate, TesseractReadsEveryFontUpright) {
  SKIP_WITHOUT_TESSERACT();
  const std::vector<std::string> fonts = {"DejaVu Sans",     "DejaVu Serif",     "DejaVu Sans Mono",
                                          "Liberation Sans", "Liberation Serif", "Liberation Mono"};
  const auto names = EvalNames(fonts.size(), 3);
  for (size_t i = 0; i < fonts.size(); ++i) {
    CertificateSpec s;
    s.name = names[i].first + " " + names[i].second;
    s.font_family = fonts[i];
    s.seed = static_cast<uint32_t>(i);
    const std::string text = Ocr(Decode(RenderCertificate(s)));
    EXPECT_NE(text.find(s.name), std::string::npos) << fonts[i] << ": " << text;
  }
}

TEST(TextImage, PosterDecodesAndReadsBack) {
  const std::string png =
      RenderTextImage({"LOST CAT", "Call 07700 900123"}, "Liberation Sans", 0, 900, 600);
  const cv::Mat m = Decode(png);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.cols, 900);
  EXPECT_EQ(m.rows, 600);
  EXPECT_THROW(RenderTextImage({}, "DejaVu Sans", 0, 900, 600), std::runtime_error);
#ifdef GH_TESTIMG_HAVE_TESSERACT
  const std::string text = Ocr(m);
  EXPECT_NE(text.find("07700 900123"), std::string::npos) << text;
#endif
}

TEST(Work, DecodesWithTheNameBox) {
  Box box;
  const cv::Mat m = Decode(RenderWork("Kwame Mensah", 4, &box));
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.cols, 1000);
  EXPECT_EQ(m.rows, 1400);
  ASSERT_TRUE(Inside(box, m));
#ifdef GH_TESTIMG_HAVE_TESSERACT
  EXPECT_NE(Ocr(m).find("Kwame Mensah"), std::string::npos);
#endif
}

// ---------------------------------------------------------------------------
// Faces

// Each of `faces` matched by a distinct box of `found` (IoU >= 0.3), and
// nothing else found.
::testing::AssertionResult SameFaces(const std::vector<Box>& found, const std::vector<Box>& faces) {
  if (found.size() != faces.size()) {
    return ::testing::AssertionFailure()
           << found.size() << " faces found, " << faces.size() << " pasted";
  }
  std::vector<bool> used(found.size(), false);
  for (const Box& f : faces) {
    bool hit = false;
    for (size_t i = 0; i < found.size() && !hit; ++i) {
      if (!used[i] && IoU(found[i], f) >= 0.3) used[i] = hit = true;
    }
    if (!hit) {
      return ::testing::AssertionFailure()
             << "no detection at pasted face " << f.x << "," << f.y << " " << f.w << "x" << f.h;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(Faces, ComposeThreeGivesThreeByTheTwoCascadeRule) {
  const std::optional<FacePhoto> photo = ComposeFaces(3, 1);
  if (!photo) GTEST_SKIP() << "no sample pictures or cascades (opencv-doc, opencv-data)";
  ASSERT_EQ(photo->faces.size(), 3u);
  const cv::Mat m = Decode(photo->bytes);
  ASSERT_FALSE(m.empty());
  for (const Box& f : photo->faces) {
    EXPECT_TRUE(Inside(f, m));
    EXPECT_GE(f.w, 58);
    EXPECT_LE(f.w, 142);
  }
  for (bool equalize : {false, true}) {
    const auto found = TwoCascadeFaces(photo->bytes, equalize);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(SameFaces(*found, photo->faces)) << "equalize " << equalize;
  }
}

// Other counts, one seed each: ComposeFaces costs ~1.5 s a call.
TEST(Faces, OtherCounts) {
  EXPECT_THROW(ComposeFaces(7, 0), std::runtime_error);
  EXPECT_THROW(ComposeFaces(-1, 0), std::runtime_error);
  for (int n : {0, 1, 6}) {
    const std::optional<FacePhoto> photo = ComposeFaces(n, static_cast<uint32_t>(10 + n));
    if (!photo) GTEST_SKIP() << "no sample pictures or cascades";
    ASSERT_EQ(photo->faces.size(), static_cast<size_t>(n));
    const auto found = TwoCascadeFaces(photo->bytes, false);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(SameFaces(*found, photo->faces)) << "n " << n;
  }
}

TEST(Faces, CleanSamplesHaveNoFaces) {
  const std::vector<std::string> clean = CleanSampleNames();
  if (clean.empty()) GTEST_SKIP() << "no sample pictures (opencv-doc)";
  EXPECT_GE(clean.size(), 10u);
  for (const std::string& name : clean) {
    const std::optional<std::string> bytes = SamplePicture(name);
    ASSERT_TRUE(bytes.has_value()) << name;
    for (bool equalize : {false, true}) {
      const auto found = TwoCascadeFaces(*bytes, equalize);
      ASSERT_TRUE(found.has_value());
      EXPECT_TRUE(found->empty()) << name << " equalize " << equalize;
    }
    // No metadata a location or device rule could fire on.
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes->data()),
                                           static_cast<long>(bytes->size()));
    ASSERT_TRUE(image.get() != nullptr) << name;
    image->readMetadata();
    for (const Exiv2::Exifdatum& d : image->exifData()) {
      const std::string key = d.key();
      EXPECT_EQ(key.find("GPS"), std::string::npos) << name << ": " << key;
      EXPECT_NE(key, "Exif.Image.Make") << name;
      EXPECT_NE(key, "Exif.Photo.BodySerialNumber") << name;
    }
  }
}

TEST(Faces, SamplePictureRefusesOtherPaths) {
  EXPECT_FALSE(SamplePicture("no-such-picture.jpg").has_value());
  EXPECT_FALSE(SamplePicture("../../../../etc/passwd").has_value());
  EXPECT_FALSE(SamplePicture("").has_value());
}

// ---------------------------------------------------------------------------
// Logos

TEST(Logo, OrbFindsPlentyOfKeypoints) {
  auto orb = cv::ORB::create(1000);
  for (uint32_t seed = 0; seed < 10; ++seed) {
    const cv::Mat m = Decode(RenderLogo("SMA", seed));
    ASSERT_EQ(m.cols, 400);
    std::vector<cv::KeyPoint> kp;
    orb->detect(m, kp);
    EXPECT_GE(kp.size(), 200u) << "seed " << seed;
  }
  const cv::Mat clear = Decode(RenderLogo("LT", 1, 300, true), cv::IMREAD_UNCHANGED);
  EXPECT_EQ(clear.channels(), 4);
  EXPECT_EQ(clear.at<cv::Vec4b>(0, 0)[3], 0);  // a transparent corner
  EXPECT_THROW(RenderLogo("", 0), std::runtime_error);
}

TEST(Logo, PlacedLogoCanBeMatchedInTheScene) {
  // A plain generated scene, so this runs without the sample pictures.
  const std::string scene = RenderTextImage({"Sports day"}, "DejaVu Sans", 0, 1000, 700);
  const std::string logo = RenderLogo("OAK", 3);
  Box where;
  const cv::Mat placed = Decode(PlaceLogo(scene, logo, 0.6, 25, 700, 420, &where));
  ASSERT_FALSE(placed.empty());
  EXPECT_EQ(placed.cols, 1000);
  EXPECT_EQ(placed.rows, 700);
  EXPECT_TRUE(Inside(where, placed));
  EXPECT_NEAR(where.x + where.w / 2, 700, 2);

  // ORB and a ratio test find the logo: what the logo matcher will rely on.
  auto orb = cv::ORB::create(1000);
  std::vector<cv::KeyPoint> kl, ks;
  cv::Mat dl, ds;
  orb->detectAndCompute(Decode(logo), cv::noArray(), kl, dl);
  orb->detectAndCompute(placed, cv::noArray(), ks, ds);
  cv::BFMatcher matcher(cv::NORM_HAMMING);
  std::vector<std::vector<cv::DMatch>> knn;
  matcher.knnMatch(dl, ds, knn, 2);
  const cv::Rect region(where.x, where.y, where.w, where.h);
  int good = 0;
  for (const auto& m : knn) {
    if (m.size() == 2 && m[0].distance < 0.75f * m[1].distance &&
        region.contains(cv::Point(ks[static_cast<size_t>(m[0].trainIdx)].pt))) {
      ++good;
    }
  }
  EXPECT_GE(good, 25);

  EXPECT_THROW(PlaceLogo(scene, logo, 0.5, 0, -5000, -5000), std::runtime_error);
  EXPECT_THROW(PlaceLogo(NotAnImage(), logo, 0.5, 0, 10, 10), std::runtime_error);
}

// ---------------------------------------------------------------------------
// Metadata

std::string ExifString(const Exiv2::ExifData& exif, const char* key) {
  const auto it = exif.findKey(Exiv2::ExifKey(key));
  return it == exif.end() ? "<absent>" : it->toString();
}

double ExifDegrees(const Exiv2::ExifData& exif, const char* key, const char* ref_key) {
  const auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end() || it->count() != 3) return 1e9;
  double v = 0, unit = 1;
  for (long i = 0; i < 3; ++i, unit *= 60) {
    const Exiv2::Rational r = it->toRational(i);
    v += static_cast<double>(r.first) / r.second / unit;
  }
  const std::string ref = ExifString(exif, ref_key);
  return ref == "S" || ref == "W" ? -v : v;
}

TEST(Metadata, ExifRoundTrips) {
  CertificateSpec s;
  s.name = "Priya Chaudhry";
  s.format = "jpeg";
  s.width = 600;
  s.height = 400;
  const std::string jpeg = RenderCertificate(s);
  ExifSpec e;
  e.gps = std::make_pair(52.370216, -1.265032);  // Rugby
  e.make = "Apple";
  e.model = "iPhone 13";
  e.serial = "F2LXK0ABCD12";
  e.datetime_original = "2026:05:01 14:03:00";
  e.software = "17.4.1";
  const std::string tagged = WithExif(jpeg, e);
  EXPECT_GT(tagged.size(), jpeg.size());

  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(tagged.data()),
                                         static_cast<long>(tagged.size()));
  ASSERT_TRUE(image.get() != nullptr);
  image->readMetadata();
  const Exiv2::ExifData& exif = image->exifData();
  EXPECT_EQ(ExifString(exif, "Exif.Image.Make"), "Apple");
  EXPECT_EQ(ExifString(exif, "Exif.Image.Model"), "iPhone 13");
  EXPECT_EQ(ExifString(exif, "Exif.Image.Software"), "17.4.1");
  EXPECT_EQ(ExifString(exif, "Exif.Photo.BodySerialNumber"), "F2LXK0ABCD12");
  EXPECT_EQ(ExifString(exif, "Exif.Photo.DateTimeOriginal"), "2026:05:01 14:03:00");
  EXPECT_EQ(ExifString(exif, "Exif.GPSInfo.GPSLatitudeRef"), "N");
  EXPECT_EQ(ExifString(exif, "Exif.GPSInfo.GPSLongitudeRef"), "W");
  EXPECT_NEAR(ExifDegrees(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef"),
              52.370216, 1e-5);
  EXPECT_NEAR(ExifDegrees(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef"),
              -1.265032, 1e-5);
  // Still the same picture.
  const cv::Mat before = Decode(jpeg), after = Decode(tagged);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(cv::norm(before, after, cv::NORM_INF), 0);

  // Southern and eastern hemispheres, and a value whose seconds round up.
  e = ExifSpec();
  e.gps = std::make_pair(-33.8568, 151.2153);
  const std::string south = WithExif(jpeg, e);
  auto image2 = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(south.data()),
                                          static_cast<long>(south.size()));
  image2->readMetadata();
  EXPECT_NEAR(
      ExifDegrees(image2->exifData(), "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef"),
      -33.8568, 1e-5);
  EXPECT_NEAR(
      ExifDegrees(image2->exifData(), "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef"),
      151.2153, 1e-5);
  EXPECT_EQ(ExifString(image2->exifData(), "Exif.Image.Make"), "<absent>");

  EXPECT_THROW(WithExif(RenderLogo("X", 0), e), std::runtime_error);  // a PNG
  e.datetime_original = "1 May 2026";
  EXPECT_THROW(WithExif(jpeg, e), std::runtime_error);
}

TEST(Metadata, XmpGpsRoundTrips) {
  CertificateSpec s;
  s.name = "Tariq Haddad";
  s.format = "jpeg";
  s.width = 600;
  s.height = 400;
  const std::string tagged = WithXmpGps(RenderCertificate(s), 51.501476, -0.140634);
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(tagged.data()),
                                         static_cast<long>(tagged.size()));
  image->readMetadata();
  const Exiv2::XmpData& xmp = image->xmpData();
  const auto lat = xmp.findKey(Exiv2::XmpKey("Xmp.exif.GPSLatitude"));
  const auto lon = xmp.findKey(Exiv2::XmpKey("Xmp.exif.GPSLongitude"));
  ASSERT_NE(lat, xmp.end());
  ASSERT_NE(lon, xmp.end());
  EXPECT_EQ(lat->toString(), "51,30.088560N");
  EXPECT_EQ(lon->toString(), "0,8.438040W");
  EXPECT_TRUE(image->exifData().empty());
}

// ---------------------------------------------------------------------------
// Bad pictures

// The PNG's IHDR fields, checking the signature and the chunk's CRC.
struct Ihdr {
  uint32_t width = 0, height = 0;
  int bit_depth = 0, colour_type = -1;
};
Ihdr ReadIhdr(const std::string& png) {
  Ihdr h;
  if (png.size() < 33 || png.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) != 0) return h;
  if (Be32(png, 8) != 13 || png.compare(12, 4, "IHDR") != 0) return h;
  const auto crc =
      static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17));
  if (crc != Be32(png, 29)) return h;
  h.width = Be32(png, 16);
  h.height = Be32(png, 20);
  h.bit_depth = static_cast<unsigned char>(png[24]);
  h.colour_type = static_cast<unsigned char>(png[25]);
  return h;
}

// Inflates every IDAT without keeping the output; the decompressed size, or
// -1 when the stream is broken or does not end.
int64_t InflatedIdatSize(const std::string& png) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return -1;
  std::vector<Bytef> out(1 << 16);
  int64_t total = 0;
  int rc = Z_OK;
  for (size_t at = 8; at + 12 <= png.size() && rc != Z_STREAM_END;) {
    const uint32_t len = Be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (type == "IDAT") {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(png.data() + at + 8));
      z.avail_in = len;
      do {
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
          inflateEnd(&z);
          return -1;
        }
        total += static_cast<int64_t>(out.size() - z.avail_out);
      } while (z.avail_out == 0 && rc != Z_STREAM_END);
    }
    at += 12 + len;
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? total : -1;
}

TEST(BadImages, PngBombIsSmallValidAndHuge) {
  const std::string bomb = PngBomb(20000, 20000);
  EXPECT_LT(bomb.size(), 64u * 1024);
  const Ihdr h = ReadIhdr(bomb);
  EXPECT_EQ(h.width, 20000u);
  EXPECT_EQ(h.height, 20000u);
  EXPECT_EQ(h.bit_depth, 1);
  EXPECT_EQ(h.colour_type, 0);
  // Complete: the image data inflates to exactly height rows.
  EXPECT_EQ(InflatedIdatSize(bomb), int64_t{20000} * (1 + 20000 / 8));
  EXPECT_EQ(bomb.substr(bomb.size() - 8, 4), "IEND");

  const std::string grey = PngBomb(8000, 8000, 8);
  EXPECT_LT(grey.size(), 64u * 1024);
  EXPECT_EQ(ReadIhdr(grey).bit_depth, 8);
  EXPECT_EQ(InflatedIdatSize(grey), int64_t{8000} * 8001);

  // A small bomb decodes: the format is right, not only the header.
  const cv::Mat tiny = Decode(PngBomb(300, 200, 8), cv::IMREAD_GRAYSCALE);
  ASSERT_EQ(tiny.cols, 300);
  ASSERT_EQ(tiny.rows, 200);
  EXPECT_EQ(cv::countNonZero(tiny), 0);
  EXPECT_THROW(PngBomb(0, 10), std::runtime_error);
}

TEST(BadImages, HeaderOnlyBombsDeclareHugeSizes) {
  const std::string png = PngHeaderBomb(50000, 50000);
  EXPECT_LT(png.size(), 1024u);
  EXPECT_EQ(ReadIhdr(png).width, 50000u);
  EXPECT_EQ(ReadIhdr(png).height, 50000u);
  EXPECT_EQ(InflatedIdatSize(png), 50001);  // one row, then nothing

  const std::string jpeg = JpegHeaderOnly(60000, 50000);
  ASSERT_EQ(jpeg.size(), 17u);
  EXPECT_EQ(jpeg.substr(0, 4), std::string("\xFF\xD8\xFF\xC0", 4));
  EXPECT_EQ((static_cast<unsigned char>(jpeg[7]) << 8) | static_cast<unsigned char>(jpeg[8]),
            50000);  // height comes first
  EXPECT_EQ((static_cast<unsigned char>(jpeg[9]) << 8) | static_cast<unsigned char>(jpeg[10]),
            60000);
  EXPECT_EQ(jpeg.substr(15), std::string("\xFF\xD9", 2));
  EXPECT_THROW(JpegHeaderOnly(70000, 10), std::runtime_error);

  const std::string gif = GifBomb(65535, 65535);
  EXPECT_EQ(gif.substr(0, 6), "GIF89a");
  EXPECT_EQ(static_cast<unsigned char>(gif[6]) | (static_cast<unsigned char>(gif[7]) << 8), 65535);
  EXPECT_EQ(gif.back(), ';');
}

TEST(BadImages, TruncatedAndNotAnImage) {
  const std::string png = RenderLogo("AB", 0, 200);
  const std::string half = Truncated(png, 0.5);
  EXPECT_LT(half.size(), png.size());
  EXPECT_EQ(half.size(), png.size() / 2);
  EXPECT_EQ(png.compare(0, half.size(), half), 0);
  EXPECT_LT(Truncated(png, 0.999999).size(), png.size());
  EXPECT_TRUE(Truncated("", 0.5).empty());
  EXPECT_THROW(Truncated(png, 1.0), std::runtime_error);

  EXPECT_TRUE(Decode(NotAnImage()).empty());
  EXPECT_TRUE(Decode(JpegHeaderOnly(100, 100)).empty());
}

// ---------------------------------------------------------------------------
// Names

TEST(Names, DistinctDeterministicAndDisjointFromDecoys) {
  const auto a = EvalNames(300, 7);
  ASSERT_EQ(a.size(), 300u);
  EXPECT_EQ(a, EvalNames(300, 7));
  EXPECT_NE(a, EvalNames(300, 8));
  std::set<std::pair<std::string, std::string>> distinct(a.begin(), a.end());
  EXPECT_EQ(distinct.size(), a.size());

  const auto all = EvalNames(72 * 72, 1);
  std::set<std::string> first, last;
  for (const auto& [f, l] : all) first.insert(f), last.insert(l);
  EXPECT_GE(first.size(), 60u);
  EXPECT_GE(last.size(), 60u);
  EXPECT_EQ(last.count("Patel"), 0u);
  EXPECT_THROW(EvalNames(72 * 72 + 1, 1), std::runtime_error);

  for (const auto& [f, l] : DecoyNames(24 * 24, 2)) {
    EXPECT_EQ(first.count(f), 0u) << f;
    EXPECT_EQ(last.count(l), 0u) << l;
    EXPECT_EQ(first.count(l), 0u) << l;
    EXPECT_EQ(last.count(f), 0u) << f;
  }
}

}  // namespace
}  // namespace gh::testimg
