// The GPUs of a bitmap (svm_range's bitmap_aip / bitmap_access), in index order.
export const gpuList = (mask: number): number[] => [0, 1, 2, 3].filter((g) => (mask >> g) & 1);
