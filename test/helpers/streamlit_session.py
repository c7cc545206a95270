"""One browser session against a running `streamlit run`, without a browser: opens the app's
websocket (/_stcore/stream) as Streamlit's front end does, asks for a script run (BackMsg
rerun_script), and prints one line per run: the exception messages the page received, once the
server reports the run finished. With a page name it opens that page of a multipage app, as a
visitor following a link to /<page> does.

Run with the app's own interpreter (it has streamlit and websockets):
    python streamlit_session.py <port> [runs] [page]
Exits 1 when the server never says a run finished."""

import sys

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


def one_run(socket, page):
    socket.send(BackMsg(rerun_script=ClientState(page_name=page)).SerializeToString())
    shown = []
    while True:
        message = ForwardMsg()
        message.ParseFromString(socket.recv(timeout=60))
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
            shown.append(message.delta.new_element.exception.message)
        if kind == "script_finished":
            return shown


def main():
    port, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    page = sys.argv[3] if len(sys.argv) > 3 else ""
    with connect("ws://127.0.0.1:%s/_stcore/stream" % port, subprotocols=["streamlit"],
                 max_size=None, open_timeout=30) as socket:
        for _ in range(runs):
            print("shown: %r" % (one_run(socket, page),), flush=True)


if __name__ == "__main__":
    main()
