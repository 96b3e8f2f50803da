#include "vision/faces.h"

#include <algorithm>
#include <filesystem>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "vision/image.h"

namespace gh::vision {

double IoU(const Box& a, const Box& b) {
  const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return 0;
  const double inter = double(x1 - x0) * (y1 - y0);
  return inter / (double(a.w) * a.h + double(b.w) * b.h - inter);
}

struct FaceDetector::Impl {
  cv::CascadeClassifier alt2, dflt;
};

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceDetector::~FaceDetector() = default;

Result<std::unique_ptr<FaceDetector>> FaceDetector::Create(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  for (auto [file, c] : {std::pair{"haarcascade_frontalface_alt2.xml", &impl->alt2},
                         std::pair{"haarcascade_frontalface_default.xml", &impl->dflt}}) {
    const std::string path = (std::filesystem::path(dir) / file).string();
    bool ok = false;
    try {
      ok = c->load(path);
    } catch (const cv::Exception&) {
      ok = false;
    }
    if (!ok) {
      return Status::FailedPrecondition("face model " + path +
                                        " could not be loaded (install opencv-data)");
    }
  }
  return std::unique_ptr<FaceDetector>(new FaceDetector(std::move(impl)));
}

std::vector<Box> FaceDetector::Detect(const cv::Mat& image, uint32_t max_side) {
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = image;
  }
  double scale = 1;
  grey = FitWithin(grey, max_side, &scale);
  cv::equalizeHist(grey, grey);
  // Faces smaller than a twentieth of the picture are crowds and posters,
  // and where the cascades guess most.
  const int min_side = std::max(24, std::min(grey.cols, grey.rows) / 20);
  std::vector<cv::Rect> a;
  impl_->alt2.detectMultiScale(grey, a, 1.1, 4, 0, cv::Size(min_side, min_side));
  // The second cascade only confirms: it looks around each candidate rather
  // than over the whole picture (half the time of two full scans).
  std::vector<Box> out;
  for (const cv::Rect& r : a) {
    const int grow = r.width / 2;
    const cv::Rect roi = cv::Rect(r.x - grow, r.y - grow, r.width + 2 * grow, r.height + 2 * grow) &
                         cv::Rect(0, 0, grey.cols, grey.rows);
    std::vector<cv::Rect> b;
    const int min_b = std::max(20, r.width * 2 / 3);
    impl_->dflt.detectMultiScale(grey(roi), b, 1.1, 4, 0, cv::Size(min_b, min_b));
    const Box ba{r.x, r.y, r.width, r.height};
    const bool agreed = std::any_of(b.begin(), b.end(), [&](const cv::Rect& q) {
      return IoU(ba, Box{q.x + roi.x, q.y + roi.y, q.width, q.height}) >= 0.3;
    });
    if (!agreed) continue;
    const auto back = [&](int v) { return static_cast<int>(std::lround(v / scale)); };
    out.push_back({back(r.x), back(r.y), back(r.width), back(r.height)});
  }
  std::sort(out.begin(), out.end(),
            [](const Box& x, const Box& y) { return x.w * x.h > y.w * y.h; });
  return out;
}

}  // namespace gh::vision
