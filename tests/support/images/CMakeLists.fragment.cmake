# gh_test_images: the test-picture library (test_images.h), for the image
# analysis tests and bench/eval_images. include() it from tests/CMakeLists.txt
# (or bench/CMakeLists.txt); including it again is harmless.
#
# Debian 12 ships OpenCV without OpenCVConfig.cmake or opencv4.pc, so OpenCV
# is found by hand. Defines:
#   gh_test_images      static library; PUBLIC: its include root (tests/),
#                       OpenCV (core imgproc imgcodecs objdetect features2d),
#                       exiv2lib
#   gh_test_images_ocr  interface target: libtesseract + leptonica and
#                       GH_TESTIMG_HAVE_TESSERACT=1 when found, else empty
include_guard(GLOBAL)

# Imported targets found here are directory-scoped, which is enough: CMake
# resolves the names in gh_test_images' link interface in this directory, so
# users elsewhere (bench/) link fine (checked with CMake 3.25).
find_package(PkgConfig REQUIRED)
pkg_check_modules(GH_CAIRO REQUIRED IMPORTED_TARGET cairo cairo-ft)
find_package(ZLIB REQUIRED)
find_package(exiv2 REQUIRED CONFIG)
find_path(GH_OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(GH_OPENCV_LIBRARIES "")
foreach(module core imgproc imgcodecs objdetect features2d)
  find_library(GH_OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  list(APPEND GH_OPENCV_LIBRARIES ${GH_OPENCV_${module}_LIBRARY})
endforeach()

add_library(gh_test_images STATIC
  ${CMAKE_CURRENT_LIST_DIR}/test_images.h
  ${CMAKE_CURRENT_LIST_DIR}/test_images.cc)
# The include root is tests/, as for the other support code:
# #include "support/images/test_images.h".
target_include_directories(gh_test_images PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../..)
# SYSTEM: OpenCV 4.6's headers warn under C++20 (enum arithmetic).
target_include_directories(gh_test_images SYSTEM PUBLIC ${GH_OPENCV_INCLUDE_DIR})
target_link_libraries(gh_test_images
  PUBLIC ${GH_OPENCV_LIBRARIES} exiv2lib
  PRIVATE PkgConfig::GH_CAIRO ZLIB::ZLIB)
if(TARGET gatehouse_warnings)
  target_link_libraries(gh_test_images PRIVATE gatehouse_warnings)
endif()

add_library(gh_test_images_ocr INTERFACE)
pkg_check_modules(GH_TESSERACT IMPORTED_TARGET tesseract lept)
if(GH_TESSERACT_FOUND)
  target_link_libraries(gh_test_images_ocr INTERFACE PkgConfig::GH_TESSERACT)
  target_compile_definitions(gh_test_images_ocr INTERFACE GH_TESTIMG_HAVE_TESSERACT=1)
else()
  message(STATUS "tesseract not found: the OCR read-back tests of gh_test_images are skipped")
endif()
