// zlib, for inflating Lambda deployment packages (Sources/PorticoManagement/Lambda/ZipArchive.swift).
#include <zlib.h>
