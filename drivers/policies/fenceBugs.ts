// The knobs that turn the reference fence policy into one of the designs the fence rules forbid;
// each broken policy sets exactly one (seed 003_e625142124b19d0f.txt, König's rules 1-7).
export interface FenceBugs {
  /** Every job gets a dma_fence and nothing is reserved, on shared engines too: Kuehling's deadlock. */
  allDmaFences?: boolean;
  /** The MMU notifier waits for the jobs still using the range, hmm_fences included (rule 5). */
  notifierWaitsForJobs?: boolean;
  /** run_job allocates with GFP_KERNEL inside the dma_fence signalling path. */
  allocInRunJob?: boolean;
  /** The notifier updates page tables under the VM's dma_resv, taken inside the notifier lock. */
  notifierTakesResv?: boolean;
  /** A dma_fence submission waits for its hmm_fence dependency after reserving its buffers (rule 6). */
  lateHmmWait?: boolean;
}
