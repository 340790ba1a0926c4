// Package benchmarks measures activity-go against hand-written code: walks of
// 100,000 Workiva activities and 100,000 ActivTrak activity-log records
// through the SDK and through a plain net/http + encoding/json loop that
// decodes into the same structs, against the same loopback fake in the same
// run; the live heap of long walks; and page read-ahead under latency.
//
// The package holds only tests and benchmarks:
//
//	go test ./benchmarks -run 'TestRatios|TestReadAheadThroughput|TestLiveHeapIsFlat' -v   # SDK/raw table, read-ahead, heap
//	go test ./benchmarks -run '^$' -bench . -benchmem -count 5
//	ACTIVITY_GO_LONG=1 go test ./benchmarks -run TestLiveHeap -v   # 1,000,000 items
//
// See the Performance section of the repository's README.md for the figures.
package benchmarks
