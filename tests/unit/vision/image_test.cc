// vision/image.h: formats and sizes read from headers, and every kind of bad
// file refused with a message before anything is decoded.
#include "vision/image.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/images/test_images.h"

namespace gh::vision {
namespace {

std::string Encode(const cv::Mat& m, const std::string& ext) {
  std::vector<uint8_t> buf;
  EXPECT_TRUE(cv::imencode(ext, m, buf));
  return std::string(buf.begin(), buf.end());
}

cv::Mat Picture(int w, int h) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(200, 180, 160));
  cv::circle(m, {w / 2, h / 2}, std::min(w, h) / 3, cv::Scalar(20, 40, 200), -1);
  return m;
}

TEST(Probe, ReadsTheSizeOfEachFormat) {
  for (const char* ext : {".png", ".jpg", ".webp", ".bmp"}) {
    SCOPED_TRACE(ext);
    auto info = Probe(Encode(Picture(321, 123), ext), Limits{});
    ASSERT_TRUE(info.ok()) << info.status().message();
    EXPECT_EQ(info->width, 321u);
    EXPECT_EQ(info->height, 123u);
  }
  EXPECT_EQ(Probe(Encode(Picture(10, 10), ".png"), Limits{})->format, Format::kPng);
  EXPECT_EQ(Probe(Encode(Picture(10, 10), ".jpg"), Limits{})->format, Format::kJpeg);
}

TEST(Probe, RefusesWhatIsNotAnImage) {
  for (std::string bad : {std::string("hello, world"),
                          std::string("\x7f"
                                      "ELF\x02\x01\x01",
                                      7),
                          std::string("%PDF-1.7\n")}) {
    auto r = Probe(bad, Limits{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("is not an image"), std::string::npos);
  }
  EXPECT_NE(Probe("", Limits{}).status().message().find("empty"), std::string::npos);
}

TEST(Probe, RefusesTruncatedFiles) {
  for (const char* ext : {".png", ".jpg", ".webp"}) {
    SCOPED_TRACE(ext);
    const std::string whole = Encode(Picture(200, 150), ext);
    for (double keep : {0.3, 0.7, 0.95}) {
      const std::string cut =
          whole.substr(0, static_cast<size_t>(static_cast<double>(whole.size()) * keep));
      auto r = Probe(cut, Limits{});
      ASSERT_FALSE(r.ok()) << "kept " << keep;
      EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
    }
  }
}

TEST(Probe, LimitsApplyBeforeDecoding) {
  const std::string png = Encode(Picture(400, 300), ".png");
  Limits small;
  small.max_pixels = 100'000;  // 400 x 300 = 120,000
  auto r = Probe(png, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("400 x 300 pixels"), std::string::npos);
  Limits tiny_file;
  tiny_file.max_bytes = 100;
  EXPECT_NE(Probe(png, tiny_file).status().message().find("bytes; the limit is 100"),
            std::string::npos);
  Limits narrow;
  narrow.max_side = 399;
  EXPECT_FALSE(Probe(png, narrow).ok());
  EXPECT_TRUE(Probe(png, Limits{}).ok());
}

TEST(Decode, GivesPixelsAndRefusesCorruptData) {
  auto m = Decode(Encode(Picture(64, 48), ".jpg"), Limits{});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->cols, 64);
  EXPECT_EQ(m->rows, 48);
  EXPECT_EQ(m->channels(), 3);
  // A PNG whose chunks are all present but whose image data is garbage.
  std::string png = Encode(Picture(64, 48), ".png");
  const size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (size_t i = idat + 4; i < idat + 40; ++i) png[i] = '\x55';
  auto bad = Decode(png, Limits{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
}

TEST(FitWithin, ScalesOnlyWhatIsTooLarge) {
  double s = 0;
  const cv::Mat big = Picture(2000, 1000);
  const cv::Mat fitted = FitWithin(big, 500, &s);
  EXPECT_EQ(fitted.cols, 500);
  EXPECT_EQ(fitted.rows, 250);
  EXPECT_DOUBLE_EQ(s, 0.25);
  const cv::Mat same = FitWithin(big, 4000, &s);
  EXPECT_EQ(same.cols, 2000);
  EXPECT_DOUBLE_EQ(s, 1.0);
}

// Decoding goes through Leptonica (codec.h), not OpenCV's imgcodecs: the
// pixels must be those imgcodecs gives, exactly for the lossless formats.
TEST(Decode, GivesThePixelsImgcodecsGives) {
  cv::Mat picture = Picture(97, 61);
  cv::putText(picture, "Ab", {5, 50}, cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar(10, 250, 90), 3);
  cv::Mat grey;
  cv::cvtColor(picture, grey, cv::COLOR_BGR2GRAY);
  for (const cv::Mat& m : {picture, grey}) {
    for (const char* ext : {".png", ".bmp", ".webp", ".jpg"}) {
      SCOPED_TRACE(std::string(ext) + (m.channels() == 1 ? " grey" : " colour"));
      const std::string bytes = Encode(m, ext);
      auto ours = Decode(bytes, Limits{});
      ASSERT_TRUE(ours.ok()) << ours.status().message();
      const cv::Mat theirs =
          cv::imdecode(std::vector<uint8_t>(bytes.begin(), bytes.end()), cv::IMREAD_COLOR);
      ASSERT_EQ(ours->size(), theirs.size());
      ASSERT_EQ(ours->type(), CV_8UC3);
      const double diff = cv::norm(*ours, theirs, cv::NORM_INF);
      // WebP is written lossy by default and JPEG is lossy: their decoders
      // may round differently; PNG and BMP must match exactly.
      EXPECT_LE(diff, std::string(ext) == ".png" || std::string(ext) == ".bmp" ? 0.0 : 3.0);
    }
  }
  // A palette PNG with transparency: colours as stored, alpha dropped.
  cv::Mat rgba(20, 30, CV_8UC4, cv::Scalar(40, 80, 160, 0));
  rgba(cv::Rect(0, 0, 10, 20)).setTo(cv::Scalar(250, 10, 10, 255));
  const std::string png = Encode(rgba, ".png");
  auto ours = Decode(png, Limits{});
  ASSERT_TRUE(ours.ok()) << ours.status().message();
  EXPECT_EQ(ours->at<cv::Vec3b>(5, 5), cv::Vec3b(250, 10, 10));
  EXPECT_EQ(ours->at<cv::Vec3b>(5, 25), cv::Vec3b(40, 80, 160));
}

TEST(Decode, TurnsThePictureUprightByItsExifOrientation) {
  // 60 x 30, red in the top-left corner.
  cv::Mat m(30, 60, CV_8UC3, cv::Scalar(255, 255, 255));
  m(cv::Rect(0, 0, 12, 8)).setTo(cv::Scalar(0, 0, 255));
  const std::string jpeg = Encode(m, ".jpg");
  auto red_at = [](const cv::Mat& d, int x, int y) {
    const cv::Vec3b p = d.at<cv::Vec3b>(y, x);
    return p[2] > 200 && p[1] < 60 && p[0] < 60;
  };
  struct Case {
    int orientation;
    int width, height;
    int x, y;  // where the red corner ends up
  };
  for (const Case& c : {Case{1, 60, 30, 2, 2}, Case{3, 60, 30, 57, 27}, Case{6, 30, 60, 27, 2},
                        Case{8, 30, 60, 2, 57}, Case{2, 60, 30, 57, 2}}) {
    SCOPED_TRACE(c.orientation);
    testimg::ExifSpec spec;
    spec.orientation = c.orientation;
    auto d = Decode(testimg::WithExif(jpeg, spec), Limits{});
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->cols, c.width);
    EXPECT_EQ(d->rows, c.height);
    EXPECT_TRUE(red_at(*d, c.x, c.y));
  }
}

}  // namespace
}  // namespace gh::vision
