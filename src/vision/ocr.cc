#include "vision/ocr.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <omp.h>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <opencv2/imgproc.hpp>

#include "vision/image.h"

namespace gh::vision {

Box Union(const Box& a, const Box& b) {
  if (a.w == 0 && a.h == 0) return b;
  if (b.w == 0 && b.h == 0) return a;
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

namespace {

// How sharply ink gathers into rows at this rotation: the variance of the
// row sums of the rotated binary image.
double RowSharpness(const cv::Mat& bin, double deg) {
  const cv::Point2f c(static_cast<float>(bin.cols) / 2, static_cast<float>(bin.rows) / 2);
  const cv::Mat rot = cv::getRotationMatrix2D(c, deg, 1.0);
  cv::Mat r;
  cv::warpAffine(bin, r, rot, bin.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
  cv::Mat rows;
  cv::reduce(r, rows, 1, cv::REDUCE_SUM, CV_64F);
  cv::Scalar mean, sd;
  cv::meanStdDev(rows, mean, sd);
  return sd[0] * sd[0];
}

}  // namespace

double EstimateSkew(const cv::Mat& grey, double max_deg) {
  double s = 1;
  const cv::Mat small = FitWithin(grey, 600, &s);
  cv::Mat bin;
  // Ink = dark strokes on a lighter ground, found locally so that a shadow
  // across a photographed page does not count as ink.
  cv::adaptiveThreshold(small, bin, 1, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 25, 15);
  const double upright = RowSharpness(bin, 0);
  if (upright <= 0) return 0;
  double best = 0, best_v = upright;
  for (double a = -max_deg; a <= max_deg + 1e-9; a += 1.5) {
    const double v = RowSharpness(bin, a);
    if (v > best_v) best_v = v, best = a;
  }
  for (double a = std::max(-max_deg, best - 1.0); a <= std::min(max_deg, best + 1.0) + 1e-9;
       a += 0.25) {
    const double v = RowSharpness(bin, a);
    if (v > best_v) best_v = v, best = a;
  }
  // Turning costs recognition quality; do it only for a clear gain.
  if (std::abs(best) < 1.5 || best_v < upright * 1.15) return 0;
  return best;
}

struct Ocr::Impl {
  tesseract::TessBaseAPI api;
  float min_confidence = 60;
};

Ocr::Ocr(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ocr::~Ocr() {
  if (impl_) impl_->api.End();
}

Result<std::unique_ptr<Ocr>> Ocr::Create(const std::string& tessdata, float min_confidence) {
  // Tesseract's LSTM asks OpenMP for a team of threads per layer; on a busy
  // or small machine the team spins far more than it computes (measured:
  // 4.7 s for a page of text instead of 0.5 s on two cores). OMP_THREAD_LIMIT
  // would fix it but is read when libgomp loads, before main; making every
  // parallel region inactive is the runtime equivalent. Parallelism comes
  // from the Analyzer's workers instead.
  omp_set_max_active_levels(0);
  auto impl = std::make_unique<Impl>();
  impl->min_confidence = min_confidence;
  if (impl->api.Init(tessdata.empty() ? nullptr : tessdata.c_str(), "eng",
                     tesseract::OEM_LSTM_ONLY) != 0) {
    return Status::FailedPrecondition(
        "Tesseract could not load its English data" +
        (tessdata.empty() ? std::string(" (install tesseract-ocr-eng)") : " from " + tessdata));
  }
  impl->api.SetVariable("debug_file", "/dev/null");  // no "Estimating resolution" chatter
  impl->api.SetPageSegMode(tesseract::PSM_AUTO);
  return std::unique_ptr<Ocr>(new Ocr(std::move(impl)));
}

Result<OcrResult> Ocr::Read(const cv::Mat& input, uint32_t max_side) {
  cv::Mat grey;
  if (input.channels() == 3) {
    cv::cvtColor(input, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = input;
  }
  double scale = 1;
  cv::Mat work = FitWithin(grey, max_side, &scale);
  // Small photos: Tesseract wants letters at least ~20 px high.
  if (std::max(work.cols, work.rows) < 1000) {
    const double up = 1000.0 / std::max(work.cols, work.rows);
    cv::resize(work, work, cv::Size(), up, up, cv::INTER_CUBIC);
    scale *= up;
  }
  OcrResult out;
  out.skew_deg = EstimateSkew(work);
  cv::Mat inverse;  // maps points of the upright image back to `work`
  if (out.skew_deg != 0) {
    const cv::Point2f c(static_cast<float>(work.cols) / 2, static_cast<float>(work.rows) / 2);
    const cv::Mat rot = cv::getRotationMatrix2D(c, out.skew_deg, 1.0);
    // A canvas large enough that no corner is cut off.
    const double rad = out.skew_deg * CV_PI / 180;
    const int w =
        static_cast<int>(std::abs(work.cols * std::cos(rad)) + std::abs(work.rows * std::sin(rad)));
    const int h =
        static_cast<int>(std::abs(work.cols * std::sin(rad)) + std::abs(work.rows * std::cos(rad)));
    cv::Mat m = rot.clone();
    m.at<double>(0, 2) += (w - work.cols) / 2.0;
    m.at<double>(1, 2) += (h - work.rows) / 2.0;
    cv::Mat upright;
    cv::warpAffine(work, upright, m, cv::Size(w, h), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::invertAffineTransform(m, inverse);
    work = upright;
  }
  if (!work.isContinuous()) work = work.clone();

  tesseract::TessBaseAPI& api = impl_->api;
  api.SetImage(work.data, work.cols, work.rows, 1, static_cast<int>(work.step));
  api.SetSourceResolution(300);
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return Status::Internal("Tesseract could not recognise the image");
  }
  // Maps a box in `work` to the original image.
  auto to_original = [&](int x1, int y1, int x2, int y2) {
    std::vector<cv::Point2f> pts = {{static_cast<float>(x1), static_cast<float>(y1)},
                                    {static_cast<float>(x2), static_cast<float>(y1)},
                                    {static_cast<float>(x1), static_cast<float>(y2)},
                                    {static_cast<float>(x2), static_cast<float>(y2)}};
    if (!inverse.empty()) cv::transform(pts, pts, inverse);
    float lx = pts[0].x, ly = pts[0].y, hx = lx, hy = ly;
    for (const auto& p : pts) {
      lx = std::min(lx, p.x), ly = std::min(ly, p.y), hx = std::max(hx, p.x),
      hy = std::max(hy, p.y);
    }
    const auto at = [&](float v) { return static_cast<int>(std::lround(v / scale)); };
    return Box{at(lx), at(ly), at(hx) - at(lx), at(hy) - at(ly)};
  };

  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (it) {
    bool line_has_words = false;
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) && line_has_words) {
        out.text += '\n';
        line_has_words = false;
      }
      std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
      if (!word) continue;
      const float conf = it->Confidence(tesseract::RIL_WORD);
      std::string w(word.get());
      const bool has_alnum = std::any_of(w.begin(), w.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               (static_cast<unsigned char>(c) & 0x80);
      });
      if (conf < impl_->min_confidence || !has_alnum) continue;
      int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
      it->BoundingBox(tesseract::RIL_WORD, &x1, &y1, &x2, &y2);
      if (line_has_words) out.text += ' ';
      OcrWord ow;
      ow.from = static_cast<uint32_t>(out.text.size());
      out.text += w;
      ow.to = static_cast<uint32_t>(out.text.size());
      ow.text = std::move(w);
      ow.confidence = conf;
      ow.box = to_original(x1, y1, x2, y2);
      out.words.push_back(std::move(ow));
      line_has_words = true;
    } while (it->Next(tesseract::RIL_WORD));
  }
  api.Clear();
  return out;
}

}  // namespace gh::vision
