// vision/image.h: formats and sizes read from headers, and every kind of bad
// file refused with a message before anything is decoded.
#include "vision/image.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

}  // namespace
}  // namespace gh::vision
