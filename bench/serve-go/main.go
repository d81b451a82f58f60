// The ceiling of an HTTP stack on this machine for bench/serve.mjs: Go's net/http answering every
// request with a fixed JSON body (after reading the request body). Listens on 127.0.0.1, on the
// port given (0: any free port), and prints the address it listens on.
//
//	go build -o fixed bench/serve-go/main.go && ./fixed 0
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	port := "0"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	body := []byte(`{"predictions":[1]}`)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening on http://" + ln.Addr().String())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
