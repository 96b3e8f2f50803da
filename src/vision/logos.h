// Logos: finding a registered logo inside a photo, whatever its size and
// angle (ORB features, a ratio test, then a RANSAC homography; OpenCV).
//
// A hoodie with the school crest, a photo of the sign at the gate: the logo
// is a small, turned, perspective-warped part of the picture, so a hash of
// the logo file finds nothing. Each registered logo is described at several
// sizes so that a crest a tenth the size of the reference still matches.
//
// A LogoLibrary is immutable once built and safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/result.h"
#include "vision/ocr.h"  // Box

namespace gh::vision {

struct LogoHit {
  std::string id;   // the registered logo's id
  Box box;          // where it is in the photo (bounding box of the warped outline)
  int inliers = 0;  // features that agree on one placement
};

class LogoLibrary {
 public:
  struct Source {
    std::string id;
    std::string bytes;  // the logo image file
    std::string where;  // for messages: "policies/lt2/logos/crest.png"
  };
  // Fails naming the file when a logo cannot be decoded or has too little
  // detail to be found again (fewer than 40 features: a plain disc).
  static Result<std::shared_ptr<const LogoLibrary>> Build(const std::vector<Source>& logos);

  bool empty() const { return logos_.empty(); }
  size_t size() const { return logos_.size(); }

  // Registered logos visible in an 8-bit BGR or grey image.
  std::vector<LogoHit> Find(const cv::Mat& image, uint32_t max_side) const;

 private:
  struct Logo {
    std::string id;
    cv::Mat descriptors;              // ORB, one row per feature, all sizes together
    std::vector<cv::Point2f> points;  // each feature in the logo's own pixels
    cv::Size size;
  };
  std::vector<Logo> logos_;
};

}  // namespace gh::vision
