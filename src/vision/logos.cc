#include "vision/logos.h"

#include <algorithm>

#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/faces.h"  // IoU
#include "vision/image.h"

namespace gh::vision {
namespace {

cv::Mat Grey(const cv::Mat& m) {
  if (m.channels() == 1) return m;
  cv::Mat g;
  cv::cvtColor(m, g, m.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return g;
}

constexpr int kMinGood = 12;     // ratio-test survivors before trying a homography
constexpr int kMinInliers = 12;  // features that must agree on the placement

}  // namespace

Result<std::shared_ptr<const LogoLibrary>> LogoLibrary::Build(const std::vector<Source>& logos) {
  auto lib = std::make_shared<LogoLibrary>();
  cv::Ptr<cv::ORB> orb = cv::ORB::create(800);
  for (const Source& s : logos) {
    Result<cv::Mat> decoded = Decode(s.bytes, Limits{});
    if (!decoded.ok()) return Status::InvalidArgument(s.where + ": " + decoded.status().message());
    const cv::Mat bgr = std::move(*decoded);
    cv::Mat grey = Grey(FitWithin(bgr, 512, nullptr));
    Logo logo{s.id, cv::Mat(), {}, grey.size()};
    // Three sizes: ORB's own pyramid only looks at smaller copies, so a logo
    // that appears small in a photo is matched against a small reference.
    for (double f : {1.0, 0.5, 0.25}) {
      cv::Mat g;
      cv::resize(grey, g, cv::Size(), f, f, cv::INTER_AREA);
      if (std::min(g.cols, g.rows) < 48) break;
      std::vector<cv::KeyPoint> kp;
      cv::Mat desc;
      orb->detectAndCompute(g, cv::noArray(), kp, desc);
      if (desc.empty()) continue;
      logo.descriptors.push_back(desc);
      for (const auto& k : kp) logo.points.emplace_back(k.pt.x / f, k.pt.y / f);
    }
    if (logo.descriptors.rows < 40) {
      return Status::InvalidArgument(s.where +
                                     ": the logo has too little detail to be recognised (" +
                                     std::to_string(logo.descriptors.rows) + " features)");
    }
    lib->logos_.push_back(std::move(logo));
  }
  return std::shared_ptr<const LogoLibrary>(std::move(lib));
}

std::vector<LogoHit> LogoLibrary::Find(const cv::Mat& image, uint32_t max_side) const {
  std::vector<LogoHit> hits;
  if (logos_.empty()) return hits;
  double scale = 1;
  const cv::Mat grey = Grey(FitWithin(image, max_side, &scale));
  cv::Ptr<cv::ORB> orb = cv::ORB::create(3000);
  std::vector<cv::KeyPoint> kp;
  cv::Mat desc;
  orb->detectAndCompute(grey, cv::noArray(), kp, desc);
  if (desc.rows < kMinGood) return hits;
  cv::BFMatcher matcher(cv::NORM_HAMMING);
  for (const Logo& logo : logos_) {
    std::vector<std::vector<cv::DMatch>> knn;
    matcher.knnMatch(logo.descriptors, desc, knn, 2);
    std::vector<cv::Point2f> from, to;
    for (const auto& m : knn) {
      if (m.size() == 2 && m[0].distance < 0.75f * m[1].distance) {
        from.push_back(logo.points[static_cast<size_t>(m[0].queryIdx)]);
        to.push_back(kp[static_cast<size_t>(m[0].trainIdx)].pt);
      }
    }
    if (static_cast<int>(from.size()) < kMinGood) continue;
    std::vector<uint8_t> mask;
    const cv::Mat h = cv::findHomography(from, to, cv::RANSAC, 5.0, mask);
    if (h.empty()) continue;
    const int inliers = static_cast<int>(std::count(mask.begin(), mask.end(), 1));
    if (inliers < kMinInliers || inliers * 10 < static_cast<int>(from.size()) * 3) continue;
    // The logo's outline in the photo must be a plausible, unfolded shape.
    const float w = static_cast<float>(logo.size.width), hh = static_cast<float>(logo.size.height);
    std::vector<cv::Point2f> corners = {{0, 0}, {w, 0}, {w, hh}, {0, hh}}, quad;
    cv::perspectiveTransform(corners, quad, h);
    std::vector<cv::Point> poly;
    for (const auto& p : quad) poly.emplace_back(cvRound(p.x), cvRound(p.y));
    const double area = cv::contourArea(poly);
    if (!cv::isContourConvex(poly) || area < 16 * 16 ||
        area > 2.0 * static_cast<double>(grey.cols) * grey.rows) {
      continue;
    }
    const cv::Rect r = cv::boundingRect(poly);
    const auto back = [&](int v) { return static_cast<int>(std::lround(v / scale)); };
    hits.push_back({logo.id, Box{back(r.x), back(r.y), back(r.width), back(r.height)}, inliers});
  }
  // Logos share shapes (shields, stripes, rings), so a crest also half-matches
  // its neighbours in the register. Where placements overlap, the logo with
  // the most agreeing features is the one shown.
  std::sort(hits.begin(), hits.end(),
            [](const LogoHit& a, const LogoHit& b) { return a.inliers > b.inliers; });
  std::vector<LogoHit> kept;
  for (LogoHit& h : hits) {
    const bool shadowed = std::any_of(kept.begin(), kept.end(), [&](const LogoHit& k) {
      return IoU(k.box, h.box) > 0.2 || h.inliers * 4 < k.inliers;
    });
    if (!shadowed) kept.push_back(std::move(h));
  }
  return kept;
}

}  // namespace gh::vision
