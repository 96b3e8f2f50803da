// The vision layer on pictures built here (tests/support/images): names read
// from certificates, faces counted in composed photos, logos found at another
// size and angle, metadata read and stripped, and bad files refused.
#include "vision/analyzer.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/images/test_images.h"

namespace gh::vision {
namespace {

const Analyzer& Shared() {
  static std::shared_ptr<Analyzer> a = [] {
    auto r = Analyzer::Create({});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : nullptr;
  }();
  return *a;
}

std::string Jpeg(int w, int h) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(90, 140, 60));
  cv::rectangle(m, {w / 4, h / 4}, {w / 2, h / 2}, cv::Scalar(30, 30, 200), -1);
  std::vector<uint8_t> buf;
  cv::imencode(".jpg", m, buf);
  return std::string(buf.begin(), buf.end());
}

double Overlap(const Box& a, const testimg::Box& b) { return IoU(a, Box{b.x, b.y, b.w, b.h}); }

TEST(Analyzer, ReadsTheNameOnCertificatesAtAnAngle) {
  // Names, fonts and angles not used to build the OCR (bench/eval_images
  // measures many more; docs/accuracy.md).
  const std::vector<std::tuple<std::string, std::string, double>> cases = {
      {"Marisol Okafor", "Liberation Serif", 0},
      {"Dawid Nowakowski", "DejaVu Sans", 12},
      {"Ffion Gallagher", "DejaVu Serif", -18}};
  for (const auto& [name, font, angle] : cases) {
    SCOPED_TRACE(name + " in " + font);
    testimg::CertificateSpec spec;
    spec.name = name;
    spec.font_family = font;
    spec.angle_deg = angle;
    spec.format = "jpeg";
    spec.scale = 0.7;
    testimg::Box where;
    const std::string bytes = testimg::RenderCertificate(spec, &where);
    auto r = Shared().Analyze(bytes, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().message();
    const size_t at = r->ocr.text.find(name);
    ASSERT_NE(at, std::string::npos) << r->ocr.text;
    // The words' box is where the name was drawn.
    auto box = r->BoxOf(static_cast<uint32_t>(at), static_cast<uint32_t>(at + name.size()));
    ASSERT_TRUE(box.has_value());
    EXPECT_GT(Overlap(*box, where), 0.4)
        << box->x << "," << box->y << " " << box->w << "x" << box->h;
    if (angle != 0) {
      EXPECT_NEAR(r->ocr.skew_deg, -angle, 2.0);
    }
  }
}

TEST(Analyzer, CountsTheFacesInAComposedPhoto) {
  for (int n : {0, 1, 3}) {
    SCOPED_TRACE(n);
    auto photo = testimg::ComposeFaces(n, 41 + static_cast<uint32_t>(n));
    if (!photo) GTEST_SKIP() << "opencv-doc's sample pictures are not installed";
    auto r = Shared().Analyze(photo->bytes, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->faces.size(), static_cast<size_t>(n));
    for (const testimg::Box& f : photo->faces) {
      EXPECT_TRUE(std::any_of(r->faces.begin(), r->faces.end(),
                              [&](const Box& b) { return Overlap(b, f) > 0.3; }));
    }
  }
}

TEST(Analyzer, CleanSamplePicturesHaveNoFacesAndNoWords) {
  const auto names = testimg::CleanSampleNames();
  if (names.empty()) GTEST_SKIP() << "opencv-doc's sample pictures are not installed";
  for (const std::string& file : names) {
    SCOPED_TRACE(file);
    auto bytes = testimg::SamplePicture(file);
    ASSERT_TRUE(bytes.has_value());
    auto r = Shared().Analyze(*bytes, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->faces.empty());
  }
}

TEST(Analyzer, FindsARegisteredLogoSmallerAndTurned) {
  const std::string crest = testimg::RenderLogo("SH", 5);
  const std::string other = testimg::RenderLogo("QM", 17);
  auto lib = LogoLibrary::Build({{"saxon-hill", crest, "crest.png"}, {"queens", other, "q.png"}});
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  auto scene = testimg::SamplePicture("building.jpg");
  if (!scene) GTEST_SKIP() << "opencv-doc's sample pictures are not installed";
  testimg::Box placed;
  const std::string photo = testimg::PlaceLogo(*scene, crest, 0.45, 20, 420, 300, &placed);
  auto r = Shared().Analyze(photo, lib->get());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->logos.size(), 1u);
  EXPECT_EQ(r->logos[0].id, "saxon-hill");
  EXPECT_GT(Overlap(r->logos[0].box, placed), 0.5);
  // The scene alone shows no logo.
  auto bare = Shared().Analyze(*scene, lib->get());
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->logos.empty());
}

TEST(Metadata, ReadsThePhotoAndStripsAllOfIt) {
  testimg::ExifSpec spec;
  spec.gps = {{52.4862, -1.8904}};
  spec.make = "Canon";
  spec.model = "Canon EOS 250D";
  spec.serial = "093021004512";
  spec.datetime_original = "2026:05:01 14:03:00";
  const std::string photo = testimg::WithExif(Jpeg(320, 240), spec);
  auto md = ReadMetadata(photo);
  ASSERT_TRUE(md.ok()) << md.status().message();
  ASSERT_TRUE(md->gps.has_value());
  EXPECT_NEAR(md->gps->lat, 52.4862, 1e-4);
  EXPECT_NEAR(md->gps->lon, -1.8904, 1e-4);
  EXPECT_EQ(md->make, "Canon");
  EXPECT_EQ(md->model, "Canon EOS 250D");
  EXPECT_EQ(md->serial, "093021004512");
  EXPECT_EQ(md->captured_at, "2026-05-01T14:03:00");

  auto clean = StripMetadata(photo);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  auto after = ReadMetadata(*clean);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->keys.empty());
  EXPECT_FALSE(after->gps.has_value());
  // Lossless: the same pixels.
  const cv::Mat a =
      cv::imdecode(std::vector<uint8_t>(photo.begin(), photo.end()), cv::IMREAD_COLOR);
  const cv::Mat b =
      cv::imdecode(std::vector<uint8_t>(clean->begin(), clean->end()), cv::IMREAD_COLOR);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
}

TEST(Metadata, ReadsAnXmpPosition) {
  auto md = ReadMetadata(testimg::WithXmpGps(Jpeg(200, 100), -33.8568, 151.2153));
  ASSERT_TRUE(md.ok()) << md.status().message();
  ASSERT_TRUE(md->gps.has_value());
  EXPECT_NEAR(md->gps->lat, -33.8568, 1e-3);
  EXPECT_NEAR(md->gps->lon, 151.2153, 1e-3);
}

TEST(Analyzer, RefusesBadImagesWithoutDecodingThem) {
  const std::string photo = Jpeg(640, 480);
  struct Bad {
    std::string name, bytes, says;
  };
  const std::vector<Bad> bad = {
      {"png bomb", testimg::PngBomb(20000, 20000), "20000 x 20000 pixels"},
      {"png header bomb", testimg::PngHeaderBomb(50000, 50000), "50000 x 50000 pixels"},
      {"jpeg header bomb", testimg::JpegHeaderOnly(60000, 60000), ""},
      {"gif bomb", testimg::GifBomb(60000, 60000), "60000 x 60000 pixels"},
      {"truncated jpeg", testimg::Truncated(photo, 0.6), "truncated"},
      {"not an image", testimg::NotAnImage(), "is not an image"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.name);
    auto r = Shared().Analyze(b.bytes, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    if (!b.says.empty()) {
      EXPECT_NE(r.status().message().find(b.says), std::string::npos) << r.status().message();
    }
  }
  // Limits are the caller's: a small deployment refuses a 640 x 480 photo.
  AnalyzerOptions small;
  small.limits.max_pixels = 100'000;
  small.ocr = small.faces = false;
  auto strict = Analyzer::Create(small);
  ASSERT_TRUE(strict.ok());
  EXPECT_FALSE((*strict)->Analyze(photo, nullptr).ok());
}

TEST(Report, RoundTripsThroughJson) {
  auto r = Shared().Analyze(
      testimg::WithExif(Jpeg(300, 200), {{{51.5, -0.12}}, "Apple", "iPhone 13", "", "", ""}),
      nullptr);
  ASSERT_TRUE(r.ok());
  auto back = ReportFromJson(ToJson(*r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ToJson(*back), ToJson(*r));
  EXPECT_FALSE(ReportFromJson(nlohmann::json{{"format", "tiff"}}).ok());
  EXPECT_FALSE(
      ReportFromJson(
          nlohmann::json{{"text", {{"content", "ab"}, {"words", {{{"from", 0}, {"to", 9}}}}}}})
          .ok());
}

}  // namespace
}  // namespace gh::vision
