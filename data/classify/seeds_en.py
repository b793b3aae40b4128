# ruff: noqa: E501, RUF001
"""Hand-written English base messages: questions, complaints, compliments and other (format: see `seeds_de.py`).

English here is what English-speaking customers of German telecoms and shops write: expats,
students, travellers and customers of the brands' UK and international shops.
"""

LANGUAGE = "en"

SEEDS = r"""
[complaint]
neg network | Great, no signal again. Love it 🙄
neg technical_fault,network +question | @TelvanaHelp no internet for 3 days now in Kreuzberg. When is this getting fixed??
neg billing +question | Why am I being charged €9.99 a month for a "security pack" I never ordered?
neg delivery | Tracking says delivered. Nothing here. Nothing at the neighbours. Well done @kaufwerk 👏
neg returns,payment | Sent my return back 3 weeks ago and still no refund. This is getting ridiculous.
neg technical_fault | Router blinking red since last night. 50 min on hold and then the line just drops. Thanks for nothing.
neg contract | All I wanted was to change my plan and now I'm locked into another 24 months?! Nobody in the store mentioned that.
neg cancellation,billing | I cancelled by registered letter two months ago and you're STILL taking money from my account.
neg roaming,billing | €45 roaming charges for one day in Switzerland. A warning text would have been nice.
neg product_quality | These jeans stretched out after ONE wash. Quality isn't what it used to be @LumaraFashion
neg product_quality,returns | Headphones died after 2 weeks and the warranty claim got rejected for "signs of use". What??
neg appointment | Technician slot was 8am to 4pm. Took a day off work. Nobody showed up, no call, nothing.
neg account | Can't log into the app since the update and the password reset link doesn't work either. So annoying
neg payment | Got charged twice through PayPal and the order was cancelled anyway. What is going on
neg network | 5G in the city centre? More like 0G.
neg technical_fault | internet drops every 10 mins, cant even send an email
neg billing | WRONG BILL AGAIN!!! THIRD TIME THIS YEAR!!!
neg delivery | Delivery was due today, now it just says "delayed" with no reason. I stayed home for this.
neg delivery,product_quality | Box completely crushed and the TV has a crack across the screen. Amazing packaging 🙃
neg technical_fault +question | Ever since the set-top box update the picture freezes every few minutes. Does anyone test these updates?
neg billing,contract | I was promised €29.99 when I signed. My bill says €34.99. That's not what we agreed.
neg network | Full bars on the map, zero signal in my flat. Who draws these coverage maps?
neg delivery | Courier left my parcel outside the door in the pouring rain. Thanks for the soggy shoes.
neg returns | Why do I have to pay €5.95 to return something YOU sent in the wrong size?
neg product_quality | The phone gets so hot when charging I can barely hold it. Not what I expect for €900.
neg cancellation | There's no way to cancel online, the button just takes me to "special offers for you". Very sneaky.
neg technical_fault | Fibre supposedly active since the 1st. Actual speed: 0 Mbps. Day 12.
neg network | Every evening after 7pm my speed drops to 2 Mbit. I pay for 250. #Telvana
neg appointment | Booked an appointment at the store, drove there, store closed for "stocktaking". Not mentioned anywhere.
neg delivery | Ordered two items, one arrived, the other is "no longer available". And you tell me that a week later.
neg returns | Return label won't print, error 500. And the chat bot just sends me in circles.
neg product_quality | The seams on my coat are coming apart after three days. Not exactly premium.
neg contract | I've been switched to a more expensive plan without my consent. I never agreed to this!
neg technical_fault | Landline dead since Monday. No dial tone. My gran can't reach me.
neg billing +question | What's "Other services €12.40" on my bill? I didn't order anything.
neg account | The 2FA text never arrives so I'm locked out of my own account. How am I supposed to see my bill
neg delivery | Waiting 3 weeks for a washing machine, new delivery date every single day. I'm doing laundry at my mum's now.
neg technical_fault | Support keeps telling me to restart the router. I have. 15 times. It's not my router.
neg payment | Paid my bill on time and still got a reminder with a €5 fee. Outrageous.
neg product_quality | Vacuum broke after 4 months and the spare part is "unavailable". Throwaway culture at its finest.
neg delivery | It arrived, but in the wrong colour. Again.
neg returns | Waiting 5 weeks for my refund and every time it's "being processed". I don't believe a word anymore.
neg cancellation,contract | I'm moving abroad and you still won't let me out of my contract. Unbelievably inflexible.
neg technical_fault | TV app crashes during every football match, right at kick-off. Every. Single. Time.
neg billing | You charged me the monthly fee twice. Once for March and once for... March.
neg delivery | "Delivery between 8am and 8pm" is not a time slot, it's a whole day.
neg account +question | Why was my account suspended? No email, no explanation, nothing.
neg product_quality | Ordered white sneakers. Got white sneakers with glue stains. Not impressed.
neg appointment | Third time my fibre installation got rescheduled. Honestly feel like you're taking the piss.
neg technical_fault | The eSIM won't activate, the QR code is "invalid". I've had no working phone for two days.
neg technical_fault +question | Why does the internet go down EVERY night at 3am?
neg delivery +question | Ordered on the 2nd, delivery date was the 5th, today is the 14th. Where is my parcel???
neg product_quality | Battery doesn't even last 3 hours. On a brand new device.
neg returns | Exchange refused because the tag was off. The tag was half hanging off when it arrived!
neg billing | Promised a credit for months, never got it. I just want my money.
neg payment | The voucher code was accepted but the discount never came off. I paid €20 too much.
neg account | Unsubscribed 5 times and still getting your newsletter every week.
neg delivery | Driver marked "nobody home". I was home all day. The doorbell works.
neg contract +question | I never confirmed a contract extension. Where did this come from?
neg technical_fault | Since you swapped my router my smart home stopped working and you say "not our device". Brilliant.
neg billing | The "free" hardware now shows up as a monthly rental on my bill. Hilarious.
neg roaming | No data roaming in Croatia even though it's included in my plan. And of course I can't reach the hotline from abroad.
neg network +question | I live in central Frankfurt and have zero signal in the basement. Are you serious?
neg technical_fault | Cable modem reboots itself every 20 minutes. Working from home is impossible like this.
neg delivery | Paid for express shipping, got standard. A refund of the fee is the least you can do.
neg account | The change-of-address form throws "unknown error" every single time. Very helpful.
neg billing | My bill is €18 higher this month and I haven't changed a thing. Not ok.
neg technical_fault | called 4 times and every time someone tells me something different
neg contract | Price increase hidden in the small print in the app. Classy.
neg cancellation | You won't confirm my cancellation even though I've sent it three times. Do I have to come in person?
neg product_quality | Phone case doesn't fit even though it's listed for my exact model. Not great.
neg technical_fault | TelvanaTV has been buffering for days. Doesn't matter which channel.
neg billing +question | I got two bills for the same month with different amounts. Which one is right?
neg returns | You received my return and claim one item is missing. I packed both and I have photos.
neg delivery | Tracking number invalid. For 5 days. And the chat just says "please be patient".
neg product_quality | Dead pixel right in the middle of the TV after 2 months. Not nice.
neg contract,billing | Paying for 3 years for a plan that no longer exists while new customers get double for half the price. Loyalty doesn't pay.
neg technical_fault | Voicemail can't be switched off. Every call goes straight to it. For a week now.
neg account | Why do I need my customer number, password AND date of birth for every little thing, and the voice bot still doesn't understand me?
neg delivery | Parcel is supposedly in the locker, the locker says "no parcel". Fantastic.
neg payment | Klarna is chasing me for an order you cancelled. Please sort it out, I don't want a bad credit score because of you.
neg network | Reported the dead zone at my house. Answer: "expansion planned". That was 2022.
neg billing | Charged for a 2 GB data top-up I never booked. Refund please.
neg cancellation | The cancellation confirmation has the wrong date. Now I'm supposed to pay 3 more months. No thanks.
neg delivery | Sofa was supposed to be carried in, the delivery guys left it at the kerb. 4th floor, no lift.
neg product_quality,returns | Laptop screen flickers. I'm supposed to send it in for 3-4 weeks. I need it for work!
neg returns,payment | Refund came through, but only 60% of the price. "Loss of value". I only tried it on!
neg network | Stadium again today, 50,000 people, zero signal. Same thing every weekend.
neg delivery | You said 4 days. It's day 11. Delays happen, but at least tell people.
neg billing | You're charging me for calls to an 0800 number. Which are free. Supposedly.
neg technical_fault +question | Why does the outage checker say "no outage" when the whole street has no internet?
neg contract | I was promised a €100 switching bonus. Still waiting.
neg product_quality | Not happy with the quality at all. Jumper started pilling after the first wear.
neg account | Password reset email arrives 3 hours later and the link has already expired. Great system.
neg cancellation +question | How many times do you have to cancel before you accept it?
neg delivery | 3 parcels for 1 order, one item in each. The planet says thanks.
neg returns | Never thought returning something could be this complicated. Never again.
neg billing,contract | The bill isn't bad... if you like surprises. €7 more, just like that.
neg network | dead zone again. same spot. every time. #Telvana
neg technical_fault | Have you ever tried calling your own customer service? I don't recommend it.
neg product_quality | No idea who tested this toaster but the bread is cold inside and black outside.
neg delivery | Not only did the delivery take forever, half of it is missing.
neg payment | Card charged, order doesn't show up in my account. Hope you find my money.
neg account,billing | Never seen such a confusing bill. I don't even understand what I'm paying for.
neg technical_fault | Recording didn't happen even though it was scheduled. Missed the final. Evening ruined.
neg network | on the train from Munich to Berlin and I had signal for maybe 10 minutes total. Impressive.
neg product_quality | Ordered a dress for a wedding, zip broke the first time I put it on. Now I've got nothing to wear. Thanks Lumara 🙃
neg technical_fault | been without wifi since Friday and your "priority ticket" still says pending. what is the point
neg returns | the drop-off shop near me stopped taking your returns, nearest one is 12 km away. great change.
neg delivery | Who thought it was a good idea to ship a glass vase in a paper envelope?
neg billing | Direct debit bounced because you took the money 10 days early. Now my bank charges me. Cheers.
neg technical_fault | u guys told me the engineer fixed it. he didn't. still no connection
neg network | Can't make a single call without it dropping. This is 2024, not 1994.
neg product_quality | The "leather" smells like plastic and feels like it too. Hard pass.
neg contract | Your sales guy on the phone signed me up for a contract. I only called to ask about my bill!
neg appointment | Engineer cancelled by text 30 minutes before the appointment. Next slot in 5 weeks. Incredible.
neg account | Still not possible to change my name after marriage in your system?? Three calls, two emails.
neg roaming,billing | My phone connected to the ferry network on the way to Denmark and cost me €60. Why is there no warning?
neg technical_fault | Your wifi extender makes everything slower. Not sure that's the idea.
neg delivery | Was told next day delivery. It's been a week. Not impressed at all.
neg network | Not a single bar of 4G in the whole village. We're not on the moon.
neg delivery | Wow, only 3 weeks for a parcel from Leeds to Manchester. Must be a record 👏
neg network | Thanks Telvana, thanks to you I'm learning to read paper maps again.
neg technical_fault | Love how the router restarts right on time for the most important call of the year. Perfect timing as always.
neg billing | Congrats, you managed to charge me three different amounts for the same month.
neg delivery | Oh, the parcel was at the store? Nice of someone to tell me before it got sent back.
neg product_quality | Built to last, I thought. It lasted exactly 9 days.
neg account | Brilliant, logged out again. Fifth time today. Loving it. 🙃
neg network | 99% coverage, you say. Apparently I live in the other 1%.
neg returns | Refund in 14 days, it said. We're on day 40. Must be Mars days.
neg appointment | The technician is coming "sometime today". It's 9pm. Still waiting. Cosy.
neg technical_fault | 47 minutes on hold, nice music though. I can sing along by now.
neg contract | Oh sure, a "loyalty price" – loyal to your profits, maybe.
neg delivery | Parcel arrived. Empty. Yes, actually empty.
neg other | Oh good, another "we're experiencing high demand" message. Such a surprise.
neu delivery | Hi, my order 4471-22 was due yesterday but hasn't arrived. Could you check please?
neu billing | My bill includes an add-on I didn't book. Please correct it and send me a new invoice.
neu technical_fault | Hello, my landline has been out of order since this morning. You can reach me on my mobile.
neu product_quality | Two screws (part C) are missing from the shelf you delivered. Could you send them out?
neu returns | The refund for my return from 3 March hasn't come through yet. Please check the status.
neu delivery | You sent a size 12 instead of a 10. How do I exchange it?
neu network | Hi, there's been hardly any mobile signal on Garden Street in Lüneburg for a week. Is anything known?
neu account | I can't change my billing address in the portal, there's an error. Please update it to 4 Linden Way for me.
neu appointment | The engineer didn't turn up today, the appointment was confirmed for 10am. Please book a new one.
neu payment | The direct debit was taken twice this month. Please refund the second payment.
neu cancellation | I cancelled on 12 April but haven't received a confirmation yet. Please send it.
neu product_quality | The lid of the flask doesn't close properly, it drips. I'd like to make a warranty claim.
neu technical_fault | The TV box has shown error E-204 since the update. Restarting didn't help.
neu contract | My contract shows a different data allowance than the order confirmation. Please clarify.
neg technical_fault | Absolutely shocking. Third engineer visit and the broadband still cuts out every evening.
neg delivery | Mate, my parcel has been "out for delivery" since Tuesday. Where is it going, round the world?
neg billing | ngl your billing department is a joke. Charged for a phone I returned in January.
neg account | smh, locked out of my account because your verification code expires in 60 seconds and takes 3 minutes to arrive
neg contract | Signed up because of the "price guaranteed for 24 months" line, and now there's a price rise after 8 months. Make it make sense.
neg product_quality | The blender lid cracked on day one. Smoothies all over the kitchen. Lovely.
neg returns | Your returns portal only lets me pick reasons that are MY fault. The item arrived broken!
neg network | Can't even load a web page on the bus. I pay for 5G and get the loading wheel of doom.
neg delivery | Y'all shipped my order to my old address that I deleted from my account months ago.
neg technical_fault | The new TV box keeps switching itself to standby mid-film. My family is over it.
neg payment | Card declined three times at checkout, then I get three pending charges. Brilliant.
neg appointment | Took a half day for the install, the engineer arrived, said he didn't have the right cable and left. What?
neg product_quality | tbh the quality of your own-brand stuff has gone right downhill. Seams fraying, buttons falling off.
neg cancellation | Cancelled my TV add-on in March, still paying for it in June. Someone explain.
neg account | Your app logged me into my partner's account. We live together but that's still not ok.
neg delivery | Driver threw the parcel over the gate. It was a monitor. It's now a very expensive paperweight.
neg billing +question | Why is there a "paper bill fee" when I never asked for paper bills?
neg technical_fault | Wifi calling has been broken since the update and I work in a basement. Can't take a single call at work.
neg other | Tried to complain in store and the staff literally laughed. Not coming back.
neg roaming | Texts didn't work at all in Portugal. Nobody could reach me for a week. Not what "EU roaming included" means.
neg product_quality | Bought the "waterproof" watch. Went swimming. Watch is dead. Ironic.
neg network | Three weeks of "we're aware of an issue in your area". How long does awareness take to turn into a fix?
neg delivery | I paid for nominated day delivery. It came the day after. That's literally the only thing I paid for.
neg returns | Sent back a £400 coat with tracking. You say you never got it. Tracking says you signed for it. Explain.
neg contract | Your upgrade offer in the app is more expensive than the same deal on your website. Seriously?
neg technical_fault | Chat agent disconnected me twice at the exact moment I gave my account number. Coincidence?
neg billing | Can't believe I'm paying more for less data than last year. Loyalty clearly means nothing here.

[question]
neu billing | Hi, when will the March invoice be sent out?
neu roaming | Does my plan work in Norway or do I need to add something?
neu delivery | Can I still change the delivery address? Ordered this morning.
neu returns | How long do I have to return an item?
neu account | How do I change my email address in my account?
neu technical_fault | Which ports do I need to open on the router for my games console?
neu contract | What's the latest date I can cancel if my contract ends on 30 June?
neu payment | Do you accept Apple Pay?
neu delivery | Do you ship to Ireland?
neu appointment | Do I need an appointment at the Königstraße store or can I just walk in?
neu account | Where can I find my customer number?
neu network | Is there 5G in Flensburg yet?
neu billing | Can I get my bill by post instead of online?
neu returns | Does the original tag need to be attached for an exchange?
neu product_quality | Is this jacket waterproof or just water-resistant?
neu delivery | How can I see which courier is delivering my order?
neu contract | Can I transfer my contract to my son?
neu technical_fault | How do I factory reset the set-top box?
neu roaming | Does a text from Turkey to Germany cost extra?
neu payment | Is paying in instalments also possible for existing customers?
neu account | Can I manage several phone numbers in one account?
neu cancellation | Is cancelling by email enough or does it have to be in writing?
neu delivery | Can I have my order delivered to a parcel locker?
neu returns | Where do I get a return label if I don't have a printer?
neu appointment | How far in advance do I need to cancel a technician appointment?
neu billing | What does "pro-rata base fee" on my first bill mean?
neu contract | What's the minimum term for the TV package?
neu technical_fault | Does your router work with a mesh system from another brand?
neu product_quality | Do these sneakers run true to size or small?
neu network | Is the network in the Nordheide area being upgraded this year?
neu payment | When is payment due if I choose pay by invoice?
neu delivery | What's the minimum order for free shipping?
neu roaming | Do I need an extra add-on for the US or does it work automatically?
neu returns | Can I return online orders in store?
neu billing | hi, can i download my bills from the last 12 months as pdf somewhere?
neu technical_fault | How do I turn on VoLTE on my phone?
neu contract | Does my contract renew automatically if I do nothing?
neu account | Can I change my username?
neu delivery | Do you deliver on Saturdays?
neu appointment | Can I book a store appointment online?
neu payment | How long does a refund to a credit card usually take?
neu product_quality | Can the coat go in the washing machine or is it dry clean only?
neu network | How can I check network coverage for my address?
neu technical_fault | Is the outage in 10115 Berlin already known?
neu cancellation | Will I get a confirmation if I cancel online?
neu billing | Can I move the direct debit date, e.g. to the 15th?
neu roaming | How much data do I get in other EU countries?
neu returns | Do I have to use the original box for a return?
neu delivery | Is it possible to choose a delivery day?
neu contract | What happens to my number if I switch to another provider?
neu account | How do I get my account deleted?
neu technical_fault | What's the default wifi password on the box? Is it the one on the sticker?
neu payment | Can vouchers be combined with other discounts?
neu appointment | Does the technician bring the cable or do I need to buy one?
neu delivery | What happens if I'm not home when the delivery comes?
neu billing | Is there an English version of the bill? My German isn't good enough yet.
neu product_quality | Is this phone dual SIM?
neu account | Where can I withdraw my consent to marketing?
neu roaming | Does my multi-SIM work abroad too?
neu returns | Do you refund the shipping costs when I return something?
neu contract | Can I move to a smaller plan during the minimum term?
neu technical_fault | Is your router IPv6 compatible?
neu delivery | Which tracking number belongs to my partial delivery? I can see two.
neu payment | Can I pay an open invoice in instalments?
neu account | I accidentally created two accounts, can they be merged?
neu billing | Do I get a credit for last week's outage or do I have to request it?
neu cancellation | Is there a special right to cancel when I move house?
neu product_quality | Are these earbuds sweat-resistant? Want to use them for running.
neu delivery | Can I pick up my order in a store?
neu technical_fault | What are the SMTP and IMAP settings for your mail service?
neu roaming | Do I need to switch on roaming on my phone manually?
neu returns | Can I exchange sale items?
neu contract | Where can I see when my minimum term ends?
neu account | How do I set up two-factor login?
neu payment | Do you accept bank transfer?
neu other | Are you open on public holidays?
neu other | What's the best way to reach you when the hotline is busy?
neu account | What does "account under review" mean?
neu technical_fault | ?? how do i connect my printer to the new wifi
neu returns | Roughly how long does it take to process a return?
neu delivery | Where do I find the tracking link?
neu roaming | Hi, I'm flying to Thailand next week, what do I need to do so my phone works there?
neu product_quality | Is the charger included or do I need to buy it separately?
neu payment | Can I pay for one order with two gift cards?
neu contract | Do I need the previous owner's ID to take over their contract?
neu appointment | Will I get a text before the technician comes?
neu account | Can my wife handle contract stuff for me in the store if I give her a letter of authorisation?
neu network | I'm moving to Bochum, how good is your network in the Ruhr area?
neu delivery | Hi! Will the order come in plain packaging? It's a gift 🙂
pos delivery | Hi, thanks for the super quick delivery last time 😊 can I add gift wrapping this time?
pos product_quality +compliment | Totally in love with this dress! Does it come in dark green?
pos technical_fault +compliment | New router works like a charm. Can I just recycle the old one or do I need to send it back?
pos account | Hi lovely people, quick question: where do I turn on dark mode in the app? Thanks in advance ❤️
pos returns +compliment | The exchange last time was really easy, so quick question: does that work for sale shoes too?
neg technical_fault | Quick question before I lose my mind: where's the WPS button on the new box?
neu technical_fault | Can I control the TV box with the app?
neu billing | Why does the bill always come on the 3rd and not the 1st?
neu contract | Can I keep my old phone number if I switch my contract to my partner's name?
neu account | Can I get my login details for the portal sent by post?
neu delivery | Do you deliver to business addresses?
neu contract | How far ahead do I need to tell you I'm moving so the line moves on time?
neu technical_fault | How do I check what firmware my router is on?
neu product_quality | Can this TV be wall-mounted, is it VESA compatible?
neu billing | Where can I see which third-party services were charged on my bill?
neu roaming | Does wifi calling work abroad without roaming charges?
neu payment | Can I switch an order to instalments after I've placed it?
neu returns | Do I need to include the invoice with a return?
neu appointment | Can the technician appointment be on a Saturday?
neu account | Can I add a second person to my account in the app?
neu cancellation | How do I cancel just the TV add-on and keep the broadband?
neu delivery | Will I get a notification before the driver arrives?
neu technical_fault | What cables do I need to connect the box to an older TV?
neu network | How can I check whether my phone supports 5G?
neu contract | Is there a way to pause my contract for three months? I'm doing a semester abroad.
neu product_quality | Hi, what's the sole of the winter boots made of?
neu billing | How long do I need to keep my bills? Do you still need them?
neu other | Is there a number I can call at the weekend?
neu account | I've lost my phone, how do I block the SIM?

[compliment]
pos technical_fault | Thanks @TelvanaHelp, problem solved in 5 minutes 👍
pos delivery | Not bad at all, parcel arrived the next day.
pos other | Have to give credit where it's due: the lady on the hotline today was super friendly and patient with my mum.
pos product_quality | Fit is perfect, fabric is lovely, colour exactly like the photo. 10/10 @lumara.style
pos returns | Didn't expect it, but the exchange was completely painless. Thank you!
pos network | Since switching to fibre my internet is finally stable. Working from home is fun again.
pos delivery | Ordered at 10pm, in my letterbox by 10am. Respect @kaufwerk
pos technical_fault | Technician today was on time, explained everything and even tidied up the cables. Top job!
pos other | Thank you!!
pos account | The new app is really good. You can finally see your usage at a glance.
pos product_quality | These headphones are amazing for the price. Sound is surprisingly good.
pos returns,payment | Refund for my return came through in 2 days. That's how it should be 👏
pos roaming | Had better signal on holiday in Spain than at home 😄 and no extra charges. Cheers Telvana
pos appointment | Store appointment went perfectly, no waiting, really knowledgeable advice.
pos billing | Loved getting a credit for the outage without even having to ask. That's how you keep customers.
pos other | Your social media team is hilarious 😂 keep it up
pos delivery | Packaging completely paper, no plastic. Love that!
pos product_quality | Third winter with this jacket and it still looks brand new. Highly recommend.
pos technical_fault | Big thanks to Mr Özdemir from support who spent 45 minutes with me until everything worked.
pos network | I'm not easily impressed, but the 5G here in Leipzig is seriously fast.
pos other | Best customer service I've ever had. Seriously.
pos contract | Extended my contract via chat in 10 minutes and even saved money. Thanks!
pos delivery | The delivery guy carried the parcel all the way up to the 5th floor. Shout out to him!
pos product_quality | This dress is a dream ❤️ got three compliments already
pos other | Thanks for the quick reply, really helped 🙏
pos returns | Complaint accepted without any fuss and a new device sent out straight away. Can't complain.
pos technical_fault | Internet is back, thanks for the fast help!
pos product_quality | Finally an online shop where the sizes are actually right. Everything fits perfectly.
pos other | Just wanted to say: you're doing a great job. Even when things go wrong, you take people seriously.
pos network | Full LTE at the top of the Zugspitze yesterday. Hats off.
pos delivery | On time, well packed, nothing missing. Exactly how it should be.
pos billing | The bill is so much clearer than it used to be. Thanks for that!
pos product_quality | Quality is not bad at all for the price, pleasantly surprised.
pos appointment | Technician called to say he'd be 20 minutes early. Perfect.
pos other | Shout out to Jasmin from the chat, you're the best 😊
pos technical_fault | Plugged in the router and it just worked. That easy.
pos returns | Free returns with pickup from home. Super handy!
pos product_quality | Had the phone for two weeks now. The camera is insane 📸
pos other | 5 stars for the service at the Alexanderplatz store!
pos contract | Getting the student discount was so easy. Thank you!
pos delivery | Crazy fast, order arrived within 18 hours.
pos other | Great advice, great price, will definitely come back.
pos technical_fault | Honestly expected a disaster, but porting my number went through without a minute of downtime.
pos product_quality | The bedding feels so soft. Didn't expect that at all.
pos account | Being able to pause my plan in the app anytime is really well done.
pos other | Thanks for your patience with me today, I wasn't exactly nice on the phone 🙈
pos delivery | Ordered Sunday, delivered Monday. You guys are crazy (in a good way)
pos returns | Love that you don't ask for a reason and just refund returns. Very customer friendly.
pos product_quality | These shoes are sooo comfy, I ordered them again in black 😍
pos technical_fault | After calling support my wifi is twice as fast. No idea what you did but thanks!
pos other | You saved my day today. Thanks, Telvana team!
pos billing | Fair play: last week's roaming charge was refunded in full after one short message.
pos network | Concert with 40,000 people and I could still upload videos. Respect to your network.
pos product_quality | Quality is spot on 👌
pos delivery | Thanks for the handwritten card in the parcel, made me smile 🥰
pos appointment | The guy in the store really took his time even though it was packed. Thank you!
pos other | Honestly I was sceptical, but I'm more than happy.
pos account | Not bad, the new usage tracker in the app!
pos product_quality | Great dress, great colour, great feeling 💃
pos technical_fault | You explained the issue with the box better than the manufacturer did. Thanks!
pos delivery | Delivery came a day earlier than expected. Love it!
pos other | Big praise to your team, you were brilliant today.
pos network | Not a single dropout since switching to you. Should've done it years ago.
pos product_quality | Ordered here 5 times and never been disappointed.
pos other | Really like how you respond to criticism. No copy-paste, actual answers.
pos contract | Plan change worked first time and the new flat rate is great. Thanks!
pos technical_fault | Really good tutorial videos on your channel, set up the router all by myself!
pos other | Thanks for reacting so fast! 🙌
pos product_quality | Haven't had jeans this comfy in ages. Thank you Lumara!
pos payment | Pay by invoice worked without a hitch and the reminder email came in time. Very pleasant.
pos other | You guys are just awesome ❤️
pos account | Hats off, switching to the new customer number went completely smoothly.
pos returns | Wrong size, swapped it in store in 5 minutes. Easy.
pos other | Cheers for sorting that out so quickly, legends
pos delivery | Your courier in Altona is the best, always friendly and always on time.
pos product_quality | Honestly the best hoodie I own. Washed it 20 times and it's still perfect.
pos technical_fault | The agent stayed on the line until my TV box worked again. Above and beyond!
pos other | 10/10 would recommend
pos network | can't believe how good the signal is in the mountains, well done @Telvana
pos network | Not one dropped call on the whole drive to the coast. Never used to be like that.
pos delivery | No delay, no damage, no drama. That's what online shopping should be like.
pos technical_fault | Never thought I'd say this, but the hotline picked up in 2 minutes and actually fixed it.
pos returns | Refund for the return came in less than a week, no questions asked. Thank you!
pos other | Can't complain, honestly. All good.
pos product_quality | The washing machine is quiet, efficient and has a great wool programme. Full marks.
pos account | The customer portal is finally easy to use. Everything on one page, no hunting around.
pos other | Your chatbot actually understood me and passed me to a human straight away. Thumbs up!
pos delivery | My courier texted to say he'd left the parcel at the bakery. So thoughtful!
pos contract | Moved me to a cheaper plan without any argument even though I was mid-contract. Fair play!
pos technical_fault | Many thanks, the new modem has run for a week without a single crash.
pos billing | Reported a mistake on my bill and it was corrected the same day. Can't ask for more.
pos appointment | Engineer on time to the minute, friendly, even took his shoes off 😄 lovely guy
pos product_quality | Wasn't sure about the size but the chat advice was spot on. Fits perfectly!
pos other | Gotta say it: you reply faster here than my friends do on WhatsApp 😂
pos network | Fibre is unreal. Measured 900 Mbit, uploads in seconds. Cheers Telvana!
pos returns | Exchanged in store in 3 minutes, no receipt, just the app. Impressive.
pos other | Thank you for being so patient on the phone, my dad is 87 and understood everything.
pos product_quality | The trainers look even better in real life than in the pictures 🔥
pos technical_fault | It wasn't even your fault and you still stayed with me until it worked. Respect.
pos delivery | Parcel arrived on time in the middle of a snowstorm. Hats off to the drivers!
pos other | Nailed it! Already recommending you to friends.
pos product_quality | I'm not picky but this is by far the best charger I've ever owned.
pos contract | Honest advice in the store: they told me not to take the pricier plan because I don't need it. Won't forget that!
pos other | Only just saw your reply, thanks so much for going to the trouble 🙏
pos network | Living in a tiny village and finally have fast broadband. You have no idea how happy I am 😭❤️
pos returns | Sorted my faulty item in 5 minutes on chat. No forms, no hold music. That's service.
pos product_quality | Colour is still vibrant after 10 washes. Really impressed.
pos other | You didn't just fix my problem, you made it a nice chat too. Thanks Sophie!
pos delivery | Didn't think it would arrive before the weekend but it did. Lifesaver!
pos account | Props to whoever designed the new app, it's actually a joy to use.
pos other | No complaints here, none at all. Keep it up.
pos product_quality | Bought it on a whim and it's now my favourite jacket. No regrets.
pos technical_fault | First time in years a support call didn't make me want to throw my phone. Thank you!
pos delivery | Wasn't expecting it till next week, what a nice surprise 😊
pos technical_fault | Massive shout out to the tech who spent an hour on the phone with my 80-year-old neighbour. Proper legend.
pos product_quality | Best purchase I've made all year, hands down.
pos other | Genuinely impressed with how you handled my complaint. Kept me updated every step.
pos network | Camping in the middle of nowhere and still had 4G. Didn't see that coming!
pos returns | Returned it at the corner shop, refund landed the next morning. Smooth.
pos contract | Customer for 9 years and they knocked €10 off my bill without me asking. That's how you keep people.
pos account | Whoever redesigned the app deserves a raise, it's so much faster now.
pos product_quality | These boots survived a whole winter of slush and still look new. Worth every penny.
pos other | ty so much for sorting my order, you're a star ⭐
pos delivery | The driver messaged me a photo of where he left it. So reassuring.
pos technical_fault | Fixed remotely in 10 minutes, no engineer visit needed. Great stuff.
pos product_quality | Not gonna lie, I didn't expect much for that price but it's brilliant.
pos other | Top notch service from start to finish.
pos billing | Thought I'd been overcharged, turned out I misread the bill, and the agent was super kind about it. Thanks!
pos network | Signal's finally decent in my flat since the new mast went up. Cheers!
pos returns | Got sent a duplicate by mistake and you sent a pickup label before I even asked. Honest and easy.
pos other | My prize from the giveaway arrived today! Thank you so much, made my week 🎉
pos product_quality | Softest hoodie ever, I'm basically living in it now 😂
pos delivery | Even the glasses arrived in one piece, that packaging was next level.
pos appointment | The engineer showed me the best spot for the router. Wifi everywhere now. Legend.
pos other | Your Insta team is so wholesome, love following you 💛
pos technical_fault | My mum set up her new phone using your guide. She's 79! Thank you!
pos account | Password reset worked instantly, email arrived in seconds. Nice one.
pos other | That's what customer service should be. Friendly, fast, knows their stuff. Thank you!
pos delivery | More punctual than the trains, that's an achievement 😄
pos contract | Cancelled and they were still lovely about it. Might be back 😉
pos product_quality | Great cut, fits perfectly and the pockets actually fit my phone. Finally!
pos other | Quick update: problem solved, all working now. Many thanks!
pos other | You lot are brilliant, honestly.

[other]
neu other | Good morning everyone ☀️
neu other | Anyone watching the match tonight?
neu other | testing 123
neu other | Hello?
neu other | ???
pos other | lmao 😂😂
neu other | Oops, wrong chat sorry
neu other | @jake_m look at this
pos other | My dog turns 5 today 🐶🎂
neu other | What's the weather going to be like this weekend?
neu other | k
neu other | it's me again
pos other | Merry Christmas everyone!
pos other | Have a lovely weekend 😊
neg other | Monday. Rain. No coffee. 😩
neu other | Does anyone know when the 42 bus runs today?
neu other | On the train, will get back to you later
neu other | Just saw your post
pos other | Haha good one 😂
neu other | Can anyone recommend a good restaurant in Mainz?
neu other | hmmm ok
neg other | What a day. I just want to go to bed.
neu other | Is this the right group for the street party?
pos other | Great photo! Where was it taken?
neu other | I shared the competition picture too, what happens now?
neg other | I hate Mondays.
neu other | Just testing if this message goes through
pos other | Happy New Year! 🎆
neu other | Who else is going to Gamescom?
pos other | Amazing vibes at the city festival today!
neu other | What's the song in your new ad?
neu other | Erm, what?
neg other | This weather is just depressing 🌧️
pos other | Happy Easter 🐣
neu other | My sister works for you too, do you know her? Marie from sales
neu other | hey
neu other | Where did you shoot your latest ad? Looks like Lisbon.
neg other | Politics in this country is just exhausting.
pos other | Your ad with the dog is so cute 🐕
neu other | Anyone got a spare charging cable? I'm at the café by the market 😅
neu other | Hi, I'm new here
neu other | Waiting for my friend, he wanted to see this too.
neg other | My football team lost again. Gutted.
pos other | Finally Friday 🎉
neu other | Anyone here from Dresden?
neu other | Is there a way to hide your posts
neu other | Sent that by accident
neu other | What time is it over there?
neg other | So bored right now.
pos other | Loving this autumn weather 🍂
neu other | Anyone know the film with the guy from your ad?
neu other | lol what is this post
neu other | #MondayMotivation
neu other | First!
neg other | Train delayed by 40 minutes again. Not your fault, I know, just needed to vent.
pos other | Greetings from sunny Mallorca 🌴
neu other | Who baked the cake in the photo?
neu other | Trying to decide between pizza or pasta tonight.
neu other | Please ignore
pos other | Good luck at the company run tomorrow! 🏃
neu other | Is this a bot?
neg other | Stuck in traffic on the A3 again. Every single day.
neu other | Where's the nearest post box near the station?
neg other | Let's see how long this takes.
pos other | Haha the meme in your story is genius
neu other | Does anyone here speak Turkish?
neu other | Didn't know you were on Instagram too.
neg other | Neighbours have been drilling since 7am. I'm losing it.
pos other | Happy Friday! 🥳
neu other | Who was at the concert in the arena last night?
neu other | Hi all, I'm Jonas from Bremen
neu other | What does Telvana actually mean?
neu other | Been looking for my keys all morning, if anyone sees them 😅
neu other | brb
pos other | Sending good vibes to whoever is reading this ✨
neu other | Was this posted by a person or AI?
neu other | Accidentally liked your post, sorry
neg other | Been up since 5 and the baby still won't sleep 😵
pos other | Passed my driving test today!!! 🚗🎉
neu other | What series are you all watching at the moment?
neg other | My train got cancelled and I'm stuck at the station. Not your problem, just frustrated.
neu other | Could someone share my post? Our cat went missing in Bochum.
neu other | asking for a friend
pos other | What a gorgeous sunset tonight 🌅
neu other | Is there some kind of survey going on here?
neg other | My tax return is killing me.
neu other | Anyone here know anything about sourdough?
neu other | Think I'm on the wrong page
neg other | Just not my day. Spilled my coffee, then missed the bus.
pos other | So excited for my holiday next week 🏖️
neu other | What was that bang just now in Altona?
neu other | back in a sec
neg other | Got a headache and zero motivation for anything.
pos other | Congrats on the 25th anniversary, that's a big one!
neu other | Can I send pictures here?
neu other | Don't quite get this post, what's it about?
neg other | Supermarket prices are just insane now. £3 for butter!
neu other | Saw your stand at the trade fair
pos other | The dog in your story is so cute, what's his name? 😍
neu other | Anyone know a good dentist in Kassel?
neg other | 35 degrees again. I'm melting.
neu other | Just woke up, what did I miss?
neu other | Do you write these posts yourselves?
neu other | Who's your social media manager? Asking for a school project.
neg other | My flatmate ate my leftovers again. Unbelievable.
neu other | Anyone know if the Christmas market opens on Monday this year?
neg other | My cat knocked my phone off the table. Screen survived, my nerves didn't.
pos other | Just called my gran, she's 90 today 🥳
neu other | just lurking
neu other | What day is it even? Lost track on holiday
neg other | Neighbour mowing the lawn again, on a Sunday at 8am.
neu other | Anyone know a good garage in Bristol?
pos other | Cake's in the oven, Sunday can begin 🍰
neu other | Was that an earthquake just now or am I imagining things?
neu other | no idea why I'm posting this
neg other | Rained all day. I want summer back.
neu other | How old is your mascot actually?
pos other | Love your Christmas ad every year 🎄
neu other | Who's that in the photo, your boss?
neu other | The picture won't load for me
neg other | The roadworks outside my house are driving me mad.
neu other | Just moved to Hamburg from Manchester
pos other | It's International Cat Day so here's my cat 🐈
neu other | Can anyone recommend a good book?
neu other | Just popping in to say hi
neg other | Why are Mondays always so draining
neu other | Did you know it's National Apple Day? 🍎
neu other | My aunt asked me to follow you so here I am
pos other | Feeling good today ☀️
neu other | Whatever happened to the old logo?
"""
