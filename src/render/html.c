/* html.c - writes the stepping page: inline CSS, the SVG of svg.c, the
 * steps as a JSON array (what happened, why, both TCBs after it), and a
 * short script that moves through them.  The script only adds and removes
 * classes on the picture's elements, found by their data-step attributes,
 * and fills the panel; it loads nothing.
 */
#include <inttypes.h>
#include <string.h>

#include "render/html.h"
#include "render/i18n.h"
#include "render/svg.h"

/* A JavaScript string literal: safe inside <script> (no "</"), control
 * bytes escaped, invalid UTF-8 as U+FFFD. */
static void js_string(FILE *f, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    fputc('"', f);
    while (*p) {
        unsigned char c = *p;
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0;
        for (int i = 1; ok && i < len; i++)
            ok = (p[i] & 0xc0) == 0x80;
        if (!ok) {
            fputs("\\ufffd", f);
            p++;
        } else if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
            p++;
        } else if (c < 32 || c == '<' || c == '>' || c == '&' || c == 127) {
            fprintf(f, "\\u%04x", c);
            p++;
        } else {
            fwrite(p, 1, (size_t)len, f);
            p += len;
        }
    }
    fputc('"', f);
}

static const char *step_kind(enum tl_step_kind k)
{
    switch (k) {
    case TL_STEP_SEND: return "send";
    case TL_STEP_ARRIVE: return "arrive";
    case TL_STEP_DROP: return "drop";
    case TL_STEP_MARK: return "mark";
    }
    return "";
}

/* A sequence number as the transcript writes it at that step. */
static void number(FILE *f, const struct ladder *num, enum endpoint_id space, seq_t v)
{
    char buf[48];
    if (num)
        ladder_number(num, space, v, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "%" PRIu32, v);
    fputc(',', f);
    js_string(f, buf);
}

static void tcb_json(FILE *f, const struct tl_tcb *v, enum endpoint_id ep, const struct ladder *num)
{
    fputc('[', f);
    js_string(f, tcp_state_name(v->state));
    if (v->synchronized_vars) {
        number(f, num, ep, v->snd_una);
        number(f, num, ep, v->snd_nxt);
        number(f, num, ep_peer(ep), v->rcv_nxt);
        fprintf(f, ",%" PRIu32 ",%" PRIu32, v->snd_wnd, v->rcv_wnd);
    } else {
        fprintf(f, ",null,null,null,null,null");
    }
    /* The timers, as "at N ms". */
    const uint64_t at[3] = { v->rtx_at, v->persist_at, v->tw_at };
    for (int i = 0; i < 3; i++) {
        char when[64];
        snprintf(when, sizeof when, _("at %" PRIu64 " ms"), at[i]);
        fputc(',', f);
        if (at[i])
            js_string(f, when);
        else
            fputs("null", f);
    }
    fputc(']', f);
}

static void steps_json(FILE *f, const struct timeline *tl)
{
    char text[TL_TEXT + 64];
    fputs("const STEPS = [\n", f);
    for (size_t i = 0; i < tl->n_steps; i++) {
        const struct tl_step *st = &tl->steps[i];
        timeline_step_text(tl, st, text, sizeof text);
        fprintf(f, "{\"t\":%" PRIu64 ",\"kind\":\"%s\",\"seg\":", st->t, step_kind(st->kind));
        if (st->kind == TL_STEP_MARK)
            fputs("null", f);
        else
            fprintf(f, "%" PRIu32, tl->segs[st->seg].id);
        fputs(",\"text\":", f);
        js_string(f, text);
        fputs(",\"why\":", f);
        js_string(f, timeline_step_why(tl, st));
        fputs(",\"tcb\":[", f);
        const struct ladder *num = timeline_numbering(tl, i);
        tcb_json(f, &st->tcb[EP_CLIENT], EP_CLIENT, num);
        fputc(',', f);
        tcb_json(f, &st->tcb[EP_SERVER], EP_SERVER, num);
        fprintf(f, "]}%s\n", i + 1 < tl->n_steps ? "," : "");
    }
    fputs("];\n", f);
}

static const char style[] =
    "body{margin:0;font-family:" SVG_FONTS ";background:#fff;color:#111}\n"
    "header{position:sticky;top:0;z-index:2;background:#f4f4f4;border-bottom:1px solid #ccc;"
    "padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}\n"
    "h1{font-size:20px;margin:0 16px 0 0}\n"
    "button{font-size:20px;padding:6px 18px;cursor:pointer}\n"
    "#counter{font-size:18px;min-width:9em}\n"
    "#panel{display:flex;gap:24px;padding:8px 16px;border-bottom:1px solid #ccc;font-size:18px;"
    "align-items:flex-start;flex-wrap:wrap}\n"
    "#what{font-weight:bold;margin:0 0 4px}#why{margin:0;color:#333;max-width:42em}\n"
    "#tcbs{border-collapse:collapse;font-size:16px}#tcbs th,#tcbs td{border:1px solid #bbb;padding:2px 10px;"
    "text-align:right}#tcbs th{background:#eee;font-size:14px}\n"
    "#client-state{color:" SVG_CLIENT_COLOR ";font-weight:bold}#server-state{color:" SVG_SERVER_COLOR
    ";font-weight:bold}\n"
    "#picture{padding:8px}#picture svg{max-width:100%;height:auto}\n"
    ".future{opacity:.12}\n"
    ".seg.current .halo{visibility:visible}.seg.current text{font-weight:bold}\n"
    ".seg.flying .shaft{stroke-dasharray:6 4}\n"
    ".mark.current text{font-weight:bold;text-decoration:underline}\n"
    ".box.now rect{stroke-width:3.5;fill:#fff3c4}\n"
    "@media print{header,#panel{display:none}.future{opacity:1}}\n";

static const char script[] =
    "(function(){\n"
    "var N=STEPS.length,cur=0,body=document.body;\n"
    "var FIELDS=['state','snd-una','snd-nxt','rcv-nxt','snd-wnd','rcv-wnd','rtx-timer','persist-timer','tw-timer'];\n"
    "var els=Array.prototype.slice.call(document.querySelectorAll('#sequence [data-step]'));\n"
    "function show(k){\n"
    " cur=Math.max(0,Math.min(N,k));var i=cur-1,st=i>=0?STEPS[i]:null;\n"
    " body.dataset.step=String(cur);body.dataset.segment=st&&st.seg!==null?String(st.seg):'';\n"
    " els.forEach(function(e){var s=+e.dataset.step,end=e.dataset.stepEnd!==undefined?+e.dataset.stepEnd:s;\n"
    "  e.classList.toggle('future',s>i);e.classList.toggle('current',i>=0&&(s===i||end===i));\n"
    "  e.classList.toggle('flying',s<=i&&end>i);});\n"
    " document.getElementById('counter').textContent=T.step.replace('%1',cur).replace('%2',N)+(st?'  t='+st.t+' ms':'');\n"
    " document.getElementById('what').textContent=st?st.text:T.start;\n"
    " document.getElementById('why').textContent=st&&st.why?T.why+st.why:'';\n"
    " var now={};\n"
    " ['client','server'].forEach(function(ep,j){var v=st?st.tcb[j]:['CLOSED',null,null,null,null,null,null,null,null];\n"
    "  FIELDS.forEach(function(f,n){var x=v[n];document.getElementById(ep+'-'+f).textContent=x===null?'-':String(x);});\n"
    "  now[v[0]]=true;});\n"
    " document.querySelectorAll('#state-diagram .box').forEach(function(b){b.classList.toggle('now',!!now[b.dataset.state]);});\n"
    " document.getElementById('back').disabled=cur===0;document.getElementById('next').disabled=cur===N;\n"
    " try{if(location.hash.indexOf('#step=')===0||cur>0)history.replaceState(null,'','#step='+cur);}catch(e){}\n"
    "}\n"
    "document.getElementById('next').onclick=function(){show(cur+1);};\n"
    "document.getElementById('back').onclick=function(){show(cur-1);};\n"
    "document.addEventListener('keydown',function(e){\n"
    " if(e.key==='ArrowRight'||e.key==='ArrowDown'||e.key===' '||e.key==='PageDown'){show(cur+1);e.preventDefault();}\n"
    " else if(e.key==='ArrowLeft'||e.key==='ArrowUp'||e.key==='PageUp'){show(cur-1);e.preventDefault();}\n"
    " else if(e.key==='Home')show(0);else if(e.key==='End')show(N);});\n"
    "var selftest=location.hash==='#selftest',m=/^#step=(\\d+)$/.exec(location.hash);\n"
    "show(m?+m[1]:0);\n"
    "if(selftest){var seen=[];\n"
    " function look(){seen.push({step:+body.dataset.step,segment:body.dataset.segment,\n"
    "  client:document.getElementById('client-state').textContent,server:document.getElementById('server-state').textContent,\n"
    "  current:Array.prototype.map.call(document.querySelectorAll('#sequence .current'),function(e){return e.id||e.getAttribute('class');})});}\n"
    " look();for(var k=0;k<N;k++){document.getElementById('next').click();look();}\n"
    " document.getElementById('back').click();look();\n"
    " ['ArrowLeft','ArrowRight'].forEach(function(k){document.dispatchEvent(new KeyboardEvent('keydown',{key:k}));look();});\n"
    " var pre=document.getElementById('selftest');pre.textContent=JSON.stringify(seen);pre.hidden=false;\n"
    " body.dataset.selftest='done';}\n"
    "})();\n";

int html_write(FILE *f, const struct timeline *tl, const struct sim_config *cfg, const char *title)
{
    static const char *const rows[][2] = {
        { "state", N_("state") }, { "snd-una", "SND.UNA" }, { "snd-nxt", "SND.NXT" },
        { "rcv-nxt", "RCV.NXT" }, { "snd-wnd", "SND.WND" }, { "rcv-wnd", "RCV.WND" },
        { "rtx-timer", N_("retransmission timer") }, { "persist-timer", N_("persist timer") },
        { "tw-timer", N_("TIME-WAIT timer") },
    };
    bool zh = strcmp(i18n_lang(), "zh_CN") == 0;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", zh ? "zh-CN" : "en");
    fputs(
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    svg_escape(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n", style);
    fprintf(f, "<body data-step=\"0\" data-segment=\"\" data-steps=\"%zu\">\n<header>\n<h1>", tl->n_steps);
    svg_escape(f, title);
    fputs("</h1>\n<button id=\"back\">&#8592; ", f);
    svg_escape(f, _("Back"));
    fputs("</button>\n<span id=\"counter\"></span>\n<button id=\"next\">", f);
    svg_escape(f, _("Next"));
    fputs(" &#8594;</button>\n</header>\n"
          "<section id=\"panel\">\n<div><p id=\"what\"></p><p id=\"why\"></p></div>\n"
          "<table id=\"tcbs\"><tr><th></th>", f);
    /* One row per endpoint, so the panel stays low on a projector. */
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fputs("<th>", f);
        svg_escape(f, _(rows[i][1]));
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (int ep = 0; ep < EP_COUNT; ep++) {
        fprintf(f, "<tr><th>%s</th>", ep_name((enum endpoint_id)ep));
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            fprintf(f, "<td id=\"%s-%s\"></td>", ep_name((enum endpoint_id)ep), rows[i][0]);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</section>\n<div id=\"picture\">\n", f);
    if (svg_write(f, tl, cfg, title) != 0)
        return -1;
    fputs("</div>\n<pre id=\"selftest\" hidden></pre>\n<script>\n", f);
    steps_json(f, tl);
    /* The script's own words: %1 is the step, %2 how many there are. */
    fputs("const T = {step:", f);
    js_string(f, _("step %1 of %2"));
    fputs(",start:", f);
    js_string(f, _("Press Next (or the right arrow key) to start."));
    fputs(",why:", f);
    js_string(f, _("why: "));
    fputs("};\n", f);
    fputs(script, f);
    fputs("</script>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}
