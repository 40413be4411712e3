"""Serve the chat UI, the JSON API and /healthz: `python app.py [--host 127.0.0.1] [--port 7860] [--root-path /qa]
[--auth-file users.txt] [--editors editor,desk] [--watch]`. Flags default to QA_HOST, QA_PORT, QA_ROOT_PATH,
QA_AUTH_FILE (QA_AUTH also works), QA_EDITORS, QA_WATCH."""
from __future__ import annotations

import argparse
import logging
import os
import sys


def parse_args(argv=None, environ=None) -> argparse.Namespace:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description="新闻数字问答：网页聊天界面与 JSON API")
    parser.add_argument("--host", default=environ.get("QA_HOST", "127.0.0.1"),
                        help="address to bind (default 127.0.0.1: only this machine; use 0.0.0.0 behind a proxy "
                             "only if the proxy runs elsewhere)")
    parser.add_argument("--port", type=int, default=int(environ.get("QA_PORT", "7860")))
    parser.add_argument("--root-path", default=environ.get("QA_ROOT_PATH", ""),
                        help="public URL prefix when a reverse proxy serves the app under e.g. /qa")
    parser.add_argument("--auth-file", default=environ.get("QA_AUTH_FILE"),
                        help="file with one user:password per line; without it (and without QA_AUTH) no login")
    parser.add_argument("--editors", default=environ.get("QA_EDITORS", ""),
                        help="users (comma-separated) who may add and remove articles when login is on; without "
                             "login only this machine may")
    parser.add_argument("--watch", action="store_true",
                        default=environ.get("QA_WATCH", "") not in ("", "0", "false"),
                        help="index articles copied into (or removed from) the corpus folder while serving")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    import uvicorn

    import qa
    from qa.web import create_app  # sets the offline environment before gradio is imported
    from qa.policy import load_auth, load_editors

    try:
        auth = load_auth(args.auth_file)
    except ValueError as error:
        print(f"认证文件有误：{error}", file=sys.stderr)
        return 2
    print("正在加载索引（第一次运行时会先建索引，需要一点时间）…", flush=True)
    assistant = qa.Assistant.load(progress=True)
    print(f"索引就绪：{len(assistant.documents())} 篇文章。", flush=True)
    editors = load_editors(args.editors)
    if auth and not editors:
        print("提示：未指定编辑（--editors / QA_EDITORS），登录用户都不能增删文章。", flush=True)
    app = create_app(assistant, auth=auth, root_path=args.root_path, editors=editors, watch=args.watch)
    where = f"http://{args.host}:{args.port}/"
    print(f"打开 {where} 开始提问" + (f"（经代理访问时前缀为 {args.root_path}）" if args.root_path else "")
          + ("，需要登录" if auth else ""), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, root_path=args.root_path, log_level="info", proxy_headers=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
