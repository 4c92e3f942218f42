package main

// The write gate: a MongoDB wire-protocol relay in front of FerretDB that runs one write command
// at a time.
//
// FerretDB 1.24 on SQLite runs an update (or findAndModify, or delete) as a query followed by a
// write of whole documents, outside any transaction. Two concurrent writers to one document can
// therefore lose an update: a filtered update is not a compare-and-set, and an unrelated update
// can overwrite a change made between its read and its write. MongoDB makes every single-document
// write atomic, and Tandem's outbox, leases, If-Match and version guards rely on that. The gate
// restores it for the local store by holding one lock from the moment a write command is
// forwarded until its reply is back. Reads are never held. SQLite admits only one writer at a time
// anyway, so the cost is small.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

const (
	opMsg        = 2013
	opCompressed = 2012
	headerSize   = 16
	maxMessage   = 48 * 1000 * 1000 // MongoDB's maxMessageSizeBytes
	moreToCome   = 1 << 1           // OP_MSG flag: no reply follows (request) / another reply follows (reply)
)

// writeCommands change stored data; they are run one at a time.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
	"create": true, "createIndexes": true, "drop": true, "dropIndexes": true, "dropDatabase": true,
	"renameCollection": true,
}

// gate relays client connections to FerretDB, one backend connection per client connection.
type gate struct {
	dial   func() (net.Conn, error)
	logger *slog.Logger
	writes sync.Mutex
}

func (g *gate) serve(listener net.Listener) error {
	for {
		client, err := listener.Accept()
		if err != nil {
			return err
		}
		go g.relay(client)
	}
}

func (g *gate) relay(client net.Conn) {
	defer client.Close()
	server, err := g.dialWithRetry(10 * time.Second)
	if err != nil {
		g.logger.Error("cannot reach FerretDB", "error", err)
		return
	}
	defer server.Close()

	requests, replies := bufio.NewReader(client), bufio.NewReader(server)
	for {
		request, err := readMessage(requests)
		if err != nil {
			return // the client went away (or sent garbage): drop both connections
		}
		if err := g.roundTrip(request, server, replies, client); err != nil {
			g.logger.Debug("connection closed", "error", err)
			return
		}
	}
}

// roundTrip forwards one request and every reply it gets, holding the write lock for write commands.
func (g *gate) roundTrip(request []byte, server io.Writer, replies *bufio.Reader, client io.Writer) error {
	if isWrite(request) {
		g.writes.Lock()
		defer g.writes.Unlock()
	}
	if _, err := server.Write(request); err != nil {
		return err
	}
	if !expectsReply(request) {
		return nil
	}
	for {
		reply, err := readMessage(replies)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !(opCode(reply) == opMsg && flags(reply)&moreToCome != 0) {
			return nil
		}
	}
}

// dialWithRetry waits for FerretDB's socket while it starts.
func (g *gate) dialWithRetry(patience time.Duration) (net.Conn, error) {
	deadline := time.Now().Add(patience)
	for {
		conn, err := g.dial()
		if err == nil || time.Now().After(deadline) {
			return conn, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readMessage(r *bufio.Reader) ([]byte, error) {
	var header [headerSize]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header[0:4])))
	if length < headerSize || length > maxMessage {
		return nil, fmt.Errorf("bad message length %d", length)
	}
	message := make([]byte, length)
	copy(message, header[:])
	if _, err := io.ReadFull(r, message[headerSize:]); err != nil {
		return nil, err
	}
	return message, nil
}

func opCode(message []byte) int32 {
	return int32(binary.LittleEndian.Uint32(message[12:16]))
}

func flags(message []byte) uint32 {
	if len(message) < headerSize+4 {
		return 0
	}
	return binary.LittleEndian.Uint32(message[16:20])
}

// expectsReply: every request gets a reply except an OP_MSG sent with moreToCome (w:0 writes).
func expectsReply(request []byte) bool {
	return !(opCode(request) == opMsg && flags(request)&moreToCome != 0)
}

// isWrite: an OP_MSG whose command is a write; a compressed message is treated as one, to be safe.
func isWrite(request []byte) bool {
	switch opCode(request) {
	case opCompressed:
		return true
	case opMsg:
		name, err := commandName(request)
		return err != nil || writeCommands[name]
	default:
		return false // legacy OP_QUERY: only handshakes and reads reach FerretDB that way
	}
}

// commandName is the first field of the OP_MSG body section (kind 0).
func commandName(message []byte) (string, error) {
	sections := message[headerSize+4:]
	for len(sections) > 0 {
		kind := sections[0]
		if len(sections) < 5 {
			return "", errors.New("short section")
		}
		size := int(int32(binary.LittleEndian.Uint32(sections[1:5])))
		if size < 5 || 1+size > len(sections) {
			return "", errors.New("bad section size")
		}
		switch kind {
		case 0: // the command document: int32 size, then type byte and cstring name of its first field
			document := sections[1 : 1+size]
			if len(document) < 6 {
				return "", errors.New("empty command")
			}
			for end := 5; end < len(document); end++ {
				if document[end] == 0 {
					return string(document[5:end]), nil
				}
			}
			return "", errors.New("unterminated field name")
		case 1: // a document sequence (e.g. insert's documents); its size counts itself
			sections = sections[1+size:]
		default:
			return "", fmt.Errorf("unknown section kind %d", kind)
		}
	}
	return "", errors.New("no command section")
}
