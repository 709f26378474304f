// A Go program for MVVM's userland tests (tests/go.rs): goroutines and channels,
// select with a timer, a mutex under contention, async preemption of a goroutine
// that never yields (Go sends SIGURG with tgkill), net/http server and client on
// loopback, and os/exec of itself as a child process. The output is
// deterministic; tests/go/expected.txt is what Linux prints.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Println("child says", strings.Join(os.Args[2:], " "))
		os.Exit(3)
	}
	// Goroutines and channels.
	results := make(chan int)
	var wg sync.WaitGroup
	for i := 1; i <= 5; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			results <- n * n
		}(i)
	}
	go func() { wg.Wait(); close(results) }()
	var squares []int
	for r := range results {
		squares = append(squares, r)
	}
	sort.Ints(squares)
	fmt.Println("squares", squares)

	// select with a timer.
	select {
	case <-time.After(10 * time.Millisecond):
		fmt.Println("timeout branch")
	case <-make(chan int):
		fmt.Println("never")
	}

	// A mutex under contention.
	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for k := 0; k < 1000; k++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg2.Wait()
	fmt.Println("counter", counter)

	// A goroutine that never yields: the collector's stop-the-world needs
	// asynchronous preemption (SIGURG).
	var spins uint64
	go func() {
		for {
			spins++
		}
	}()
	time.Sleep(5 * time.Millisecond)
	runtime.GC()
	fmt.Println("gc done while a goroutine spins")

	// net/http on loopback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("name"))
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	resp, err := http.Get("http://" + ln.Addr().String() + "/hello?name=riscv")
	if err != nil {
		fmt.Println("get:", err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println("http", resp.StatusCode, string(body))
	srv.Close()

	// os/exec of itself.
	self, _ := os.Executable()
	out, err := exec.Command(self, "child", "a", "b").Output()
	fmt.Printf("exec output %q err %v\n", string(out), err)
}
