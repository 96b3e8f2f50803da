#include "vision/ocr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <opencv2/imgproc.hpp>

#include "vision/image.h"

// From libgomp, which Tesseract links; declared here rather than through
// <omp.h>, which only GCC's include path has (clang builds the fuzzers).
extern "C" void omp_set_max_active_levels(int max_levels);

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
  for (double a = -max_deg; a <= max_deg + 1e-9; a += 2.0) {
    const double v = RowSharpness(bin, a);
    if (v > best_v) best_v = v, best = a;
  }
  for (double a = std::max(-max_deg, best - 1.5); a <= std::min(max_deg, best + 1.5) + 1e-9;
       a += 0.25) {
    const double v = RowSharpness(bin, a);
    if (v > best_v) best_v = v, best = a;
  }
  // Turning costs recognition quality; do it only for a clear gain.
  if (std::abs(best) < 1.5 || best_v < upright * 1.15) return 0;
  return best;
}

namespace {

bool HasAlnum(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80);
  });
}

struct RawWord {
  std::string text;
  float conf = 0;
  int x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // in the page being read
};
struct Line {
  int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  std::vector<RawWord> words;
};

// The recognised lines and words, with boxes mapped from an image that was
// cut out at (dx, dy) of the page and scaled by f.
std::vector<Line> Lines(tesseract::TessBaseAPI& api, int dx, int dy, double f) {
  std::vector<Line> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return lines;
  const auto at = [&](int v, int d) { return d + static_cast<int>(std::lround(v / f)); };
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || lines.empty()) {
      Line l;
      it->BoundingBox(tesseract::RIL_TEXTLINE, &l.x1, &l.y1, &l.x2, &l.y2);
      l.x1 = at(l.x1, dx), l.x2 = at(l.x2, dx), l.y1 = at(l.y1, dy), l.y2 = at(l.y2, dy);
      lines.push_back(std::move(l));
    }
    std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!word) continue;
    RawWord w;
    w.text = word.get();
    w.conf = it->Confidence(tesseract::RIL_WORD);
    it->BoundingBox(tesseract::RIL_WORD, &w.x1, &w.y1, &w.x2, &w.y2);
    w.x1 = at(w.x1, dx), w.x2 = at(w.x2, dx), w.y1 = at(w.y1, dy), w.y2 = at(w.y2, dy);
    lines.back().words.push_back(std::move(w));
  } while (it->Next(tesseract::RIL_WORD));
  return lines;
}

}  // namespace

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
  // Leptonica reports odd boxes in odd pictures on stderr; a caller's
  // output (gatehouse check's one line per bad input) must stay clean.
  setMsgSeverity(L_SEVERITY_NONE);
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

  // A word is kept when Tesseract is sure of it and it has a letter or digit.
  const auto kept = [&](const RawWord& w) {
    return w.conf >= impl_->min_confidence && HasAlnum(w.text);
  };
  const auto count_kept = [&](const std::vector<RawWord>& words) {
    return std::count_if(words.begin(), words.end(), kept);
  };
  // First pass: the whole page, line by line.
  std::vector<Line> lines = Lines(api, 0, 0, 1.0);
  // Tesseract's page layout takes very large letters (a name printed big
  // across a certificate) for a picture and never reads them. A second look
  // at half the size finds them as ordinary text; its lines that the first
  // pass did not read are added.
  if (std::max(work.cols, work.rows) >= 800) {
    cv::Mat half;
    cv::resize(work, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    api.SetImage(half.data, half.cols, half.rows, 1, static_cast<int>(half.step));
    api.SetSourceResolution(300);
    if (api.Recognize(nullptr) == 0) {
      for (Line& l : Lines(api, 0, 0, 0.5)) {
        const bool read_before = std::any_of(lines.begin(), lines.end(), [&](const Line& o) {
          const int overlap = std::min(o.y2, l.y2) - std::max(o.y1, l.y1);
          return overlap > (l.y2 - l.y1) / 2 && count_kept(o.words) > 0;
        });
        if (!read_before && count_kept(l.words) > 0) lines.push_back(std::move(l));
      }
      // Reading order: top to bottom.
      std::stable_sort(lines.begin(), lines.end(),
                       [](const Line& a, const Line& b) { return a.y1 < b.y1; });
    }
  }
  // Second pass for lines Tesseract was unsure of: a big name in a script
  // or italic face under a decorative rule is often read badly in the
  // context of the page and well on its own, at the line height the LSTM
  // was trained on. Only doubtful lines pay for it.
  for (Line& line : lines) {
    const bool doubtful = std::any_of(line.words.begin(), line.words.end(), [&](const RawWord& w) {
      return HasAlnum(w.text) && !kept(w);
    });
    if (!doubtful || line.y2 - line.y1 < 8) continue;
    const int pad = (line.y2 - line.y1) / 4 + 4;
    const cv::Rect r = cv::Rect(line.x1 - pad, line.y1 - pad, line.x2 - line.x1 + 2 * pad,
                                line.y2 - line.y1 + 2 * pad) &
                       cv::Rect(0, 0, work.cols, work.rows);
    if (r.width < 8 || r.height < 8) continue;
    const double f = std::clamp(64.0 / r.height, 0.25, 4.0);
    cv::Mat crop;
    cv::resize(work(r), crop, cv::Size(), f, f, f < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api.SetImage(crop.data, crop.cols, crop.rows, 1, static_cast<int>(crop.step));
    api.SetSourceResolution(300);
    if (api.Recognize(nullptr) == 0) {
      std::vector<RawWord> words;
      for (const Line& l : Lines(api, r.x, r.y, f)) {
        words.insert(words.end(), l.words.begin(), l.words.end());
      }
      if (count_kept(words) > count_kept(line.words)) line.words = std::move(words);
    }
    api.SetPageSegMode(tesseract::PSM_AUTO);
  }

  for (const Line& line : lines) {
    bool line_has_words = false;
    for (const RawWord& w : line.words) {
      if (!kept(w)) continue;
      if (line_has_words) out.text += ' ';
      OcrWord ow;
      ow.from = static_cast<uint32_t>(out.text.size());
      out.text += w.text;
      ow.to = static_cast<uint32_t>(out.text.size());
      ow.text = w.text;
      ow.confidence = w.conf;
      ow.box = to_original(w.x1, w.y1, w.x2, w.y2);
      out.words.push_back(std::move(ow));
      line_has_words = true;
    }
    if (line_has_words) out.text += '\n';
  }
  while (!out.text.empty() && out.text.back() == '\n') out.text.pop_back();
  api.Clear();
  return out;
}

}  // namespace gh::vision
